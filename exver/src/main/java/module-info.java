/** Extended versions and version ranges (exver.md). */
module dev.hearth.exver {
  requires transitive dev.hearth.error;
  requires static org.jspecify;
  requires static com.fasterxml.jackson.annotation;

  exports dev.hearth.exver;
}
