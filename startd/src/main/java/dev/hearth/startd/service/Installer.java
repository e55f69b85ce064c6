package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.hearth.api.FullProgress;
import dev.hearth.api.PackageApi;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.s9pk.S9pk;
import dev.hearth.s9pk.archive.ArchiveSource;
import dev.hearth.s9pk.archive.Commitment;
import dev.hearth.s9pk.archive.MerkleArchive;
import dev.hearth.s9pk.sign.SignerKey;
import dev.hearth.startd.container.FileTrees;
import dev.hearth.startd.continuation.Continuations;
import dev.hearth.startd.continuation.ProgressTracker;
import dev.hearth.startd.service.model.PackageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of a sideload (rpc.md §3.4): the upload, then every check a package file must pass
 * before anything of it is stored or run (signature, every hash, this machine's arch, what its
 * containers would mount). A verified package goes to its actor as an {@link Transition.Install}.
 */
final class Installer {
  private static final Logger log = LoggerFactory.getLogger(Installer.class);
  static final Duration PROGRESS_WINDOW = Duration.ofSeconds(600);

  private final ServiceContext ctx;
  private final Continuations continuations;
  private final String arch;
  private final BiConsumer<VerifiedPackage, Transition.Install> install;
  private final long ramBytes;

  /**
   * @param install hands a verified package to its actor
   */
  Installer(
      ServiceContext ctx,
      Continuations continuations,
      String arch,
      long ramBytes,
      BiConsumer<VerifiedPackage, Transition.Install> install) {
    this.ctx = ctx;
    this.ramBytes = ramBytes;
    this.continuations = continuations;
    this.arch = arch;
    this.install = install;
  }

  /**
   * {@code package.sideload}: an upload continuation and a progress one.
   *
   * @param acceptKey the new signer the user accepts for an update (PEM), or null
   */
  PackageApi.Sideload sideload(@Nullable String session, @Nullable String acceptKey) {
    ctx.loader().checkCanRun();
    SignerKey accepted = acceptKey == null ? null : acceptedKey(acceptKey);
    var progress = new ProgressTracker(InstallProgress.phases());
    String upload =
        continuations.upload(
            (body, length) -> receive(body, length, progress, accepted),
            () -> progress.fail("the package file was never uploaded"),
            Continuations.WINDOW,
            session);
    String follow = continuations.socket(progress.follower(ctx.mapper()), PROGRESS_WINDOW, session);
    return new PackageApi.Sideload(upload, follow);
  }

  private static SignerKey acceptedKey(String pem) {
    try {
      return SignerKey.parsePem(pem);
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, "acceptKeyChange is not an Ed25519 public key in PEM form", e);
    }
  }

  private void receive(
      InputStream body,
      OptionalLong declared,
      ProgressTracker progress,
      @Nullable SignerKey accepted)
      throws IOException {
    Path file = ctx.dirs().downloading().resolve(LoadedService.guid() + ".s9pk");
    try {
      long got = 0;
      Long total = declared.isPresent() ? declared.getAsLong() : null;
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[256 * 1024];
        int n;
        long lastReport = 0;
        while ((n = body.read(buffer)) > 0) {
          got += n;
          if (total != null && got > total) {
            throw new StartException(ErrorKind.INVALID_REQUEST, "too many bytes");
          }
          out.write(buffer, 0, n);
          if (got - lastReport > (4 << 20)) {
            lastReport = got;
            progress.update(
                progress
                    .current()
                    .withPhase(
                        InstallProgress.UPLOADING, FullProgress.counted(got, total, "bytes")));
          }
        }
      }
      if (total != null && got < total) {
        throw new StartException(
            ErrorKind.INVALID_REQUEST, "connection closed or timed out before full file received");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      progress.update(progress.current().withPhase(InstallProgress.UPLOADING, BooleanNode.TRUE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      progress.fail(String.valueOf(e.getMessage()));
      throw e;
    }
    // The upload is answered now; the checks and the install go on in the background.
    Thread.ofVirtual()
        .name("verify")
        .start(() -> {
          VerifiedPackage pkg = verify(file, progress, Optional.empty(), null);
          if (pkg != null) {
            try {
              install.accept(
                  pkg,
                  new Transition.Install(
                      pkg, progress, accepted, new java.util.concurrent.CompletableFuture<>()));
            } catch (RuntimeException e) {
              FileTrees.deleteQuietly(file);
              progress.fail(String.valueOf(e.getMessage()));
            }
          }
        });
  }

  /**
   * A package downloaded from a registry: verified against the registry's commitment, then
   * installed as a sideloaded one is, remembering the registry. Runs on the caller's thread.
   *
   * @return whether it was verified and handed to its actor
   */
  boolean installDownloaded(
      Path file,
      Commitment expected,
      String registry,
      ProgressTracker progress,
      @Nullable SignerKey accepted,
      java.util.concurrent.CompletableFuture<Void> done) {
    VerifiedPackage pkg = verify(file, progress, Optional.of(expected), registry);
    if (pkg == null) {
      return false;
    }
    try {
      install.accept(pkg, new Transition.Install(pkg, progress, accepted, done));
      return true;
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(file);
      progress.fail(String.valueOf(e.getMessage()));
      throw e;
    }
  }

  /**
   * Every check, in order; a refused file is deleted and its progress says why.
   *
   * @return the verified package, or null if refused
   */
  @Nullable VerifiedPackage verify(
      Path file,
      ProgressTracker progress,
      Optional<Commitment> expected,
      @Nullable String registry) {
    try {
      progress.update(
          progress
              .current()
              .withPhase(InstallProgress.VALIDATING, FullProgress.counted(0, 1L, null)));
      VerifiedPackage verified;
      try (S9pk pkg = S9pk.open(ArchiveSource.of(file), expected)) {
        pkg.validateAndFilter(Optional.of(arch));
        Compatibility.check(pkg.manifest(), ramBytes);
        progress.update(progress.current().withPhase(InstallProgress.VALIDATING, BooleanNode.TRUE));
        progress.update(
            progress
                .current()
                .withPhase(InstallProgress.UNPACKING, FullProgress.counted(0, 1L, null)));
        MerkleArchive archive = pkg.archive().orElseThrow();
        archive.verifyFiles();
        PackageId.of(pkg.manifest().id());
        PackageFile contents = PackageFile.read(file, arch);
        verified =
            new VerifiedPackage(
                file,
                pkg.manifest(),
                archive.commitment().rootSighash().bytes(),
                archive.signer(),
                contents.icon(),
                registry);
        // What the containers would mount is looked at before anything is stored or run.
        ctx.loader().checkContents(contents);
      }
      progress.update(progress.current().withPhase(InstallProgress.UNPACKING, BooleanNode.TRUE));
      return verified;
    } catch (RuntimeException | IOException e) {
      FileTrees.deleteQuietly(file);
      progress.fail(String.valueOf(e.getMessage()));
      log.info("refused a package: {}", e.getMessage());
      return null;
    }
  }
}
