package io.jobprogress.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A class loader that shows the project's code an application class path without some optional libraries:
 * it defines the project's own classes ({@code io.jobprogress.*}) itself, from its parent's class path, so
 * everything they link against is looked up through it; it refuses classes and resources under the hidden
 * package prefixes; everything else (the JDK, gson, slf4j, JUnit) comes from the parent. Used by tests that
 * prove a module works, or fails with a clear message, when an optional dependency is absent.
 *
 * <p>One loader per scenario; thread-safe like any parallel-capable {@link ClassLoader}.
 */
public final class HidingClassLoader extends ClassLoader {
  private static final String OWN = "io.jobprogress.";

  static {
    registerAsParallelCapable();
  }

  private final List<String> hidden;

  /** Hides every class whose name starts with one of {@code hiddenPrefixes} ({@code "com.nimbusds."}). */
  public HidingClassLoader(ClassLoader parent, String... hiddenPrefixes) {
    super("hiding", parent);
    this.hidden = List.of(hiddenPrefixes);
  }

  /**
   * Runs {@code scenario} (a public class with a public no-argument constructor) inside a new loader that
   * hides {@code hiddenPrefixes}, and returns what it returns. Its exceptions reach the caller as they are;
   * pass only JDK types across (strings), since the project's classes differ between the two loaders.
   */
  public static String run(Class<? extends Callable<String>> scenario, String... hiddenPrefixes) throws Exception {
    HidingClassLoader loader = new HidingClassLoader(scenario.getClassLoader(), hiddenPrefixes);
    Class<?> c = Class.forName(scenario.getName(), true, loader);
    if (c.getClassLoader() != loader) {
      throw new AssertionError("scenario " + scenario.getName() + " was not isolated");
    }
    Callable<?> call = (Callable<?>) c.getConstructor().newInstance();
    return (String) call.call();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isHidden(name)) {
      throw new ClassNotFoundException(name + " (hidden by the test)");
    }
    if (!name.startsWith(OWN)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = defineOwn(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private Class<?> defineOwn(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + ".class";
    try (InputStream in = getParent().getResourceAsStream(path)) {
      if (in == null) {
        throw new ClassNotFoundException(name);
      }
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }

  @Override
  public URL getResource(String name) {
    return isHidden(name.replace('/', '.')) ? null : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return isHidden(name.replace('/', '.')) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
  }

  private boolean isHidden(String name) {
    return hidden.stream().anyMatch(name::startsWith);
  }
}
