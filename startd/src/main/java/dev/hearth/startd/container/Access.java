package dev.hearth.startd.container;

/** Whether the container may write through a mount. */
public enum Access {
  READ_ONLY,
  READ_WRITE
}
