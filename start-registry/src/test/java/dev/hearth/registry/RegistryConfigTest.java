package dev.hearth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.registry.blob.S3Bucket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
  private static final Map<String, String> KEY =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t");

  @Test
  void withoutABucketPackageFilesStayOnDisk() {
    assertThat(RegistryConfig.parse(new String[] {"--name", "X"}, KEY).s3()).isNull();
  }

  @Test
  void s3FlagsChooseABucketWithTheKeyFromTheEnvironment() {
    RegistryConfig c =
        RegistryConfig.parse(
            new String[] {
              "--s3-endpoint",
              "http://127.0.0.1:9000",
              "--s3-bucket",
              "packages",
              "--s3-path-style",
              "--s3-region",
              "eu-west-1",
              "--s3-downloads",
              "redirect",
              "--name",
              "X"
            },
            KEY);
    assertThat(c.name()).isEqualTo("X");
    assertThat(c.s3())
        .isEqualTo(
            new S3Bucket(
                URI.create("http://127.0.0.1:9000"),
                "packages",
                "eu-west-1",
                S3Bucket.Addressing.PATH,
                S3Bucket.Downloads.REDIRECT,
                new S3Bucket.Credentials("AKIDEXAMPLE", "s3cr3t", null)));
  }

  @Test
  void aBucketAloneIsAwsWithVirtualHostsAndStreamedDownloads() {
    S3Bucket b = RegistryConfig.parse(new String[] {"--s3-bucket", "packages"}, KEY).s3();
    assertThat(b).isNotNull();
    assertThat(b.endpoint()).isNull();
    assertThat(b.region()).isEqualTo(RegistryConfig.DEFAULT_S3_REGION);
    assertThat(b.addressing()).isEqualTo(S3Bucket.Addressing.VIRTUAL_HOST);
    assertThat(b.downloads()).isEqualTo(S3Bucket.Downloads.STREAM);
  }

  @Test
  void aBucketWithoutAKeyInTheEnvironmentIsRefused() {
    assertThatThrownBy(
            () -> RegistryConfig.parse(new String[] {"--s3-bucket", "packages"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--s3-bucket needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
  }

  @Test
  void s3FlagsWithoutABucketAreRefused() {
    assertThatThrownBy(() ->
            RegistryConfig.parse(new String[] {"--s3-endpoint", "http://127.0.0.1:9000"}, KEY))
        .hasMessage("--s3-endpoint needs --s3-bucket");
  }

  @Test
  void downloadsAreStreamOrRedirect() {
    assertThatThrownBy(() ->
            RegistryConfig.parse(new String[] {"--s3-bucket", "b", "--s3-downloads", "proxy"}, KEY))
        .hasMessage("--s3-downloads is stream or redirect, not proxy");
  }

  @Test
  void anEndpointMustBeHttp() {
    assertThatThrownBy(() ->
            RegistryConfig.parse(
                new String[] {"--s3-bucket", "b", "--s3-endpoint", "file:///tmp"}, KEY))
        .hasMessage("the S3 endpoint must be an http(s) URL: file:///tmp");
  }

  @Test
  void theSecretIsNeverShown() {
    RegistryConfig c = RegistryConfig.parse(new String[] {"--s3-bucket", "b"}, KEY);
    assertThat(c.toString()).contains("AKIDEXAMPLE").doesNotContain("s3cr3t");
  }
}
