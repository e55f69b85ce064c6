package dev.hearth.s9pk.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build-time image sources, as the manifest names them (docs/s9pk.md "Image sources"). */
class ImageSourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ImageSource parse(String json) throws Exception {
    return ImageSource.fromJson(JSON.readTree(json));
  }

  @Test
  void aRootfsAloneKeepsUpstreamsDefaults() throws Exception {
    ImageSource.Rootfs r = (ImageSource.Rootfs) parse("{\"rootfs\": \"image/rootfs.tar\"}");
    assertThat(r.metadata()).isEqualTo(ImageMetadata.DEFAULTS);
    assertThat(new String(r.metadata().metadataJson(), StandardCharsets.UTF_8))
        .isEqualTo("{\"workdir\":\"/\",\"user\":\"root\",\"entrypoint\":null,\"cmd\":null}");
    assertThat(new String(r.metadata().envFile(), StandardCharsets.UTF_8))
        .isEqualTo("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    assertThat(r.json().toString()).isEqualTo("{\"rootfs\":\"image/rootfs.tar\"}");
  }

  @Test
  void aRootfsCarriesTheMetadataGivenBesideIt() throws Exception {
    String json =
        "{\"rootfs\":\"r\",\"entrypoint\":[\"/bin/busybox\",\"httpd\"],\"cmd\":[\"-f\"],"
            + "\"user\":\"www\",\"workdir\":\"/srv\",\"env\":[\"PATH=/bin\",\"A=b=c\"]}";
    ImageSource.Rootfs r = (ImageSource.Rootfs) parse(json);
    assertThat(r.metadata())
        .isEqualTo(
            new ImageMetadata(
                "/srv",
                "www",
                List.of("/bin/busybox", "httpd"),
                List.of("-f"),
                List.of("PATH=/bin", "A=b=c")));
    assertThat(r.json()).isEqualTo(JSON.readTree(json));
    assertThat(((ImageSource.Rootfs) parse("{\"rootfs\":\"r\",\"env\":[]}")).metadata().env())
        .isEmpty();
    assertThat(((ImageSource.Rootfs) parse("{\"rootfs\":\"r\",\"cmd\":null}")).metadata().cmd())
        .isNull();
  }

  @Test
  void badMetadataIsRefusedWithTheRule() {
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"user\":\"\"}"))
        .hasMessageContaining("an image's user must be a non-empty name");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"workdir\":\"srv\"}"))
        .hasMessageContaining("an image's workdir must be an absolute path, not \"srv\"");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"env\":[\"NOVALUE\"]}"))
        .hasMessageContaining("an image's env entries are \"KEY=VALUE\" on one line");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"env\":[\"=x\"]}"))
        .hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"entrypoint\":\"/bin/sh\"}"))
        .hasMessageContaining("an image's entrypoint is an array of strings or null");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"entrypoint\":[1]}"))
        .hasMessageContaining("is a string");
    assertThatThrownBy(() -> parse("{\"rootfs\":\"r\",\"usr\":\"x\"}"))
        .hasMessageContaining("has the unknown field \"usr\"");
  }

  @Test
  void anOciLayoutAndTheDockerSourcesParse() throws Exception {
    assertThat(parse("{\"ociLayout\":\"oci\",\"ref\":\"v1\"}"))
        .isEqualTo(new ImageSource.OciLayout("oci", "v1"));
    assertThat(parse("{\"ociLayout\":\"oci\"}")).isEqualTo(new ImageSource.OciLayout("oci", null));
    ImageSource.DockerBuild b =
        (ImageSource.DockerBuild)
            parse(
                "{\"dockerBuild\":{\"workdir\":\"docker\",\"buildArgs\":{\"A\":\"1\",\"B\":{\"env\":\"HOME_X\"},\"C\":{\"env\":\"UNSET\"}}}}");
    assertThat(b.dockerfile()).isEqualTo("docker/Dockerfile");
    assertThat(b.buildArgs(java.util.Map.of("HOME_X", "h")))
        .containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "h"));
    assertThat(((ImageSource.DockerBuild) parse("{\"dockerBuild\":{}}")).dockerfile())
        .isEqualTo("Dockerfile");
  }
}
