/** The error kinds and the one exception that crosses every boundary. */
module dev.hearth.error {
  requires static org.jspecify;

  exports dev.hearth.error;
}
