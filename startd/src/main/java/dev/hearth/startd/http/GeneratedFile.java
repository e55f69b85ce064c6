package dev.hearth.startd.http;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A file under {@code /static/} made on request, such as the root CA: its content type and its
 * body, which is empty while the file does not exist (before setup), giving 404.
 */
public record GeneratedFile(String contentType, Supplier<Optional<String>> body) {}
