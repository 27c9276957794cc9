package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code internal} package (no compatibility promise) is used only by the module that holds it: no
 * Java source of another module of this repository (main or test code, examples, benchmarks) names it,
 * by import or fully qualified. Reads the sources from the project's root directory.
 */
class InternalPackagesTest {
  /** Build output and tool directories, never sources. */
  private static final Set<String> SKIPPED = Set.of("target", "node_modules", ".git");

  @Test
  void noModuleUsesAnotherModulesInternalPackage() {
    Path root = projectRoot();
    Map<String, Path> internals = internalPackages(root);
    assertTrue(internals.containsKey("io.jobprogress.core.jwt.internal"), "found " + internals.keySet());
    assertEquals(List.of(), violations(root, internals));
  }

  @Test
  void aSourceInAnotherModuleNamingAnInternalPackageIsReported(@TempDir Path root) throws IOException {
    write(root.resolve("lib/src/main/java/io/x/lib/internal/Helper.java"), "package io.x.lib.internal;");
    write(root.resolve("lib/src/main/java/io/x/lib/Api.java"), "package io.x.lib;\nimport io.x.lib.internal.Helper;");
    write(root.resolve("app/src/main/java/io/x/app/Imports.java"), "package io.x.app;\nimport io.x.lib.internal.Helper;");
    write(root.resolve("app/src/test/java/io/x/app/Qualified.java"), "class Q { io.x.lib.internal.Helper h; }");
    write(root.resolve("app/src/main/java/io/x/app/Clean.java"), "package io.x.app;\nimport io.x.lib.Api;");
    Map<String, Path> internals = internalPackages(root);
    assertEquals(Map.of("io.x.lib.internal", root.resolve("lib")), internals);
    assertEquals(List.of(
            "app/src/main/java/io/x/app/Imports.java uses io.x.lib.internal",
            "app/src/test/java/io/x/app/Qualified.java uses io.x.lib.internal"),
        violations(root, internals));
  }

  private static Path projectRoot() {
    Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    assertTrue(Files.isRegularFile(root.resolve("jobprogress-core/pom.xml")), "project root " + root);
    return root;
  }

  /** Each {@code internal} package under a module's {@code src/main/java}, with the module's directory. */
  private static Map<String, Path> internalPackages(Path root) {
    Map<String, Path> found = new TreeMap<>();
    for (Path dir : javaFiles(root).stream().map(Path::getParent).distinct().toList()) {
      Path rel = root.relativize(dir);
      int src = indexOf(rel, "src");
      if (src < 0 || !rel.getFileName().toString().equals("internal")
          || !rel.subpath(src, src + 3).equals(Path.of("src", "main", "java"))) {
        continue;
      }
      String pkg = rel.subpath(src + 3, rel.getNameCount()).toString().replace(rel.getFileSystem().getSeparator(), ".");
      found.put(pkg, src == 0 ? root : root.resolve(rel.subpath(0, src)));
    }
    return found;
  }

  /** "file uses package" for every source outside the owning module that names an internal package. */
  private static List<String> violations(Path root, Map<String, Path> internals) {
    List<String> out = new ArrayList<>();
    for (Path file : javaFiles(root)) {
      String text = read(file);
      internals.forEach((pkg, owner) -> {
        if (!file.startsWith(owner.resolve("src")) && text.contains(pkg + ".")) {
          out.add(root.relativize(file).toString().replace('\\', '/') + " uses " + pkg);
        }
      });
    }
    out.sort(null);
    return out;
  }

  private static List<Path> javaFiles(Path root) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.toString().endsWith(".java")) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
  }

  private static int indexOf(Path rel, String name) {
    for (int i = 0; i + 3 <= rel.getNameCount(); i++) {
      if (rel.getName(i).toString().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
