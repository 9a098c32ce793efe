package io.github.dropin.keycloak.it;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh, valid phone numbers so that tests never share a subject (and its cooldowns and limits). */
public final class Phones {

    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

    private Phones() {
    }

    /** A new valid German mobile number in E.164, e.g. {@code +4915112345678}. */
    public static String next() {
        return String.format("+49151%08d", Math.floorMod(NEXT.incrementAndGet(), 100_000_000));
    }

    /** The same number as a person might type it: {@code +49 151 12345678}. */
    public static String spaced(String e164) {
        return e164.substring(0, 3) + " " + e164.substring(3, 6) + " " + e164.substring(6);
    }
}
