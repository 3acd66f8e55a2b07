package io.domainlink.deploy;

/** A child JVM for {@link ChildProcessTest}: prints a line, then sleeps until it is stopped. */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("sleeper up");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
