package dev.hearth.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.registry.pkg.Publisher;
import dev.hearth.registry.pkg.Uploads;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rest/rpc/<guid>}: the file a {@code package.add} promised. The guid is the
 * capability (as startd's continuations); the file is verified against the promise and published,
 * and the answer is a JSON-RPC result ({@code "id@version"}) or error. An unknown or used guid is
 * 404; a refused file leaves nothing behind.
 */
final class UploadRoute extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(UploadRoute.class);

  private final Uploads uploads;
  private final Publisher publisher;
  private final ObjectMapper json;

  UploadRoute(Uploads uploads, Publisher publisher, ObjectMapper json) {
    this.uploads = uploads;
    this.publisher = publisher;
    this.json = json;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!request.getMethod().equals("POST") && !request.getMethod().equals("PUT")) {
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    String path = request.getHttpURI().getPath();
    String guid = path.substring(path.lastIndexOf('/') + 1);
    Optional<Publisher.Claim> claim =
        guid.matches("[A-Z2-7]{32}") ? uploads.claim(guid) : Optional.empty();
    if (claim.isEmpty()) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    Path file = publisher.incoming();
    try {
      try (InputStream in = Request.asInputStream(request)) {
        publisher.fetchCapped(in, file);
      }
      long declared = request.getLength();
      if (declared >= 0 && Files.size(file) != declared) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "the upload ended before the whole file was received");
      }
      String published = publisher.publish(claim.get(), file, List.of());
      Responses.json(
          response,
          HttpStatus.OK_200,
          Responses.bytes(json, Map.of("jsonrpc", "2.0", "result", published)),
          callback);
    } catch (StartException e) {
      log.info("refused an upload: {}", e.getMessage());
      Responses.json(response, HttpStatus.OK_200, Responses.error(json, e), callback);
    } catch (java.io.IOException e) {
      log.info("an upload failed: {}", e.toString());
      Responses.json(
          response,
          HttpStatus.OK_200,
          Responses.error(json, new StartException(ErrorKind.NETWORK, "the upload failed: " + e)),
          callback);
    } finally {
      Files.deleteIfExists(file);
    }
    return true;
  }
}
