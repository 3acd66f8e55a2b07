package io.domainlink.wix;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class RecordingListener implements WixCallListener {
  private final List<WixCallEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onCall(WixCallEvent event) {
    events.add(event);
  }

  List<WixCallEvent> events() {
    return List.copyOf(events);
  }
}
