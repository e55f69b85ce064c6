import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step of start-cli (run as a source program on the build's JDK): rewrites the class files
 * of a jar that are older than Java 6 (major version 49, picocli's) as Java 8 ones (52) with stack
 * maps. The JVM's AOT cache cannot hold classes verified by the old type-inferring verifier, so
 * without this the 190 classes of picocli are loaded from the jar and verified on every run.
 *
 * <p>Usage: {@code java ModernizeClasses.java JAR PACKAGE-PREFIX...}; prints what it rewrote.
 */
public class ModernizeClasses {
  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    List<String> prefixes = List.of(args).subList(1, args.length);
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
      Path root = fs.getPath("/");
      ClassHierarchyResolver resolver =
          ClassHierarchyResolver.defaultResolver()
              .orElse(
                  ClassHierarchyResolver.ofResourceParsing(
                      desc -> open(root.resolve(internalName(desc) + ".class"))));
      ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
      int rewritten = 0;
      List<Path> classes;
      try (Stream<Path> all = Files.walk(root)) {
        classes =
            all.filter(p -> p.toString().endsWith(".class"))
                .filter(p -> prefixes.stream().anyMatch(x -> p.toString().startsWith("/" + x)))
                .toList();
      }
      for (Path p : classes) {
        byte[] bytes = Files.readAllBytes(p);
        ClassModel model = cf.parse(bytes);
        if (model.majorVersion() >= ClassFile.JAVA_6_VERSION) {
          continue;
        }
        ClassTransform upgrade =
            ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen((builder, element) -> {
                  if (element instanceof ClassFileVersion) {
                    builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
                  } else {
                    builder.with(element);
                  }
                });
        Files.write(p, cf.transformClass(model, upgrade));
        rewritten++;
      }
      System.out.println("ModernizeClasses: " + rewritten + " class files rewritten as Java 8 in " + jar);
    }
  }

  private static String internalName(java.lang.constant.ClassDesc desc) {
    String d = desc.descriptorString();
    return d.substring(1, d.length() - 1);
  }

  private static InputStream open(Path p) {
    try {
      return Files.exists(p) ? Files.newInputStream(p) : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
