package dev.hearth.startd.continuation;

import java.io.InputStream;
import java.util.OptionalLong;

/** What an upload continuation does with the request body of {@code POST /rest/rpc/<guid>}. */
@FunctionalInterface
public interface UploadJob {
  /**
   * @param body the request body, read as it arrives
   * @param declaredLength the {@code Content-Length}, if given
   */
  void receive(InputStream body, OptionalLong declaredLength) throws Exception;
}
