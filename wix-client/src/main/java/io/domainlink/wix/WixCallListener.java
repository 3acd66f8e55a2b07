package io.domainlink.wix;

/**
 * Observes every HTTP attempt the client makes (success or failure, first try or retry), so metrics
 * can be attached. Called on the calling thread after each attempt; must be fast and must not throw
 * (exceptions are logged and ignored).
 */
@FunctionalInterface
public interface WixCallListener {

  void onCall(WixCallEvent event);

  static WixCallListener noop() {
    return event -> {};
  }
}
