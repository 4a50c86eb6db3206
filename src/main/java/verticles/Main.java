package verticles;

import config.ConfigException;
import config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar parley.jar}: loads the configuration, starts the server, and on SIGTERM shuts it
 * down cleanly (sockets drained, pools closed, embedded servers stopped).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    JsonObject config;
    try {
      config = ConfigLoader.load();
    } catch (ConfigException e) {
      System.err.println("parley: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch started = new CountDownLatch(1);
    Parley[] running = new Parley[1];
    Parley.start(config)
      .onSuccess(p -> {
        running[0] = p;
        started.countDown();
      })
      .onFailure(err -> {
        System.err.println("parley: start-up failed: " + oneLine(err));
        LOG.debug("Start-up failure", err);
        System.exit(1);
      });
    started.await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Shutting down");
      try {
        running[0].stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("Stopped cleanly");
      } catch (Exception e) {
        System.err.println("parley: shutdown did not complete cleanly: " + oneLine(e));
      }
    }, "parley-shutdown"));
  }

  static String oneLine(Throwable err) {
    Throwable t = err;
    String message = t.getMessage();
    while ((message == null || message.isBlank()) && t.getCause() != null) {
      t = t.getCause();
      message = t.getMessage();
    }
    return (message == null ? t.getClass().getSimpleName() : message).replace('\n', ' ');
  }
}
