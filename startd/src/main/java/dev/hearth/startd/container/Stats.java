package dev.hearth.startd.container;

/**
 * What a container uses now, read from its cgroup.
 *
 * @param memoryBytes memory charged to the container, page cache included
 * @param memoryLimitBytes its memory limit, {@link Long#MAX_VALUE} when there is none
 * @param pids processes plus threads
 */
public record Stats(long memoryBytes, long memoryLimitBytes, long pids) {}
