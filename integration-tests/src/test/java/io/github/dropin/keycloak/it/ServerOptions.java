package io.github.dropin.keycloak.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The Keycloak options every test server runs with, in one place. Features that need a server option
 * (an SPI default, a feature flag, a fake gateway URL) add it to {@link #DEFAULTS}; a single run can add
 * more with {@code -Ddropin.it.extraOptions="--opt=a --other=b"}.
 *
 * <p>The same list is given to {@code kc.sh build} and to {@code kc.sh start --optimized}, as environment variables
 * ({@code KC_...}, {@link DistributionServer#environment}): {@code build} ignores run-time options given that way,
 * and {@code start --optimized} refuses to start when a build-time option differs from the built value (checked in
 * 26.7.3), so passing everything to both keeps them in step. On the command line Keycloak 26.4 would refuse them
 * (run-time options to build, build-time options to start --optimized). Values must be
 * stable from run to run, because a change triggers a rebuild (about 20 s); per-run values such as ports are
 * added by the distribution launcher itself.
 */
final class ServerOptions {

    static final List<String> DEFAULTS = List.of(
            "--db=dev-file",
            // One node: no JGroups discovery, no cluster ports that could collide with another Keycloak here.
            // (A run-time option in 26.7.3, so it only takes effect because start gets the list too.)
            "--cache=local",
            "--health-enabled=true",
            // /metrics on the management port, with the pack's meters (MetricsIT scrapes it). A build-time option.
            "--metrics-enabled=true",
            // The Drop-in tab under Realm settings (Keycloak's UiTabProvider; AdminTabIT). A build-time option.
            "--features=declarative-ui",
            "--http-enabled=true",
            "--hostname-strict=false",
            "--log-console-output=default",
            // Root INFO already covers it; explicit because SmsInbox reads the pack's INFO lines.
            "--log-level=INFO,io.github.dropin:INFO",
            // The development sender that prints DROPIN-SMS lines for SmsInbox. Keycloak 26.7.3 accepts an
            // default, not the only provider: realms may still pick twilio or http (--provider would load only log).
            "--spi-sms-sender--provider-default=log",
            // Server-wide provider credentials (fake, see ServerSecrets): tests show they only ever go to the server's
            // own endpoints, never to one a realm chose.
            "--spi-sms-sender--twilio--account-sid=" + ServerSecrets.TWILIO_ACCOUNT_SID,
            "--spi-sms-sender--twilio--auth-token=" + ServerSecrets.TWILIO_AUTH_TOKEN,
            "--spi-sms-sender--http--secret=" + ServerSecrets.GATEWAY_SECRET,
            // Endpoints realms may point the network senders at: the tests' fakes on loopback (or on the host, when
            // Keycloak runs in a container), over plain http; and one https-only host name (.test never resolves)
            // for the tests of the https rule.
            "--spi-sms-sender--twilio--allowed-endpoints=" + ServerSecrets.REALM_ENDPOINTS,
            "--spi-sms-sender--http--allowed-endpoints=" + ServerSecrets.REALM_ENDPOINTS,
            // Keycloak's file vault, so tests can give realms ${vault.key} secrets (KeycloakServer#putVaultSecret).
            // The directory (--vault-dir) is per machine, so each runtime adds it: see DistributionServer/ContainerServer.
            "--vault=file");

    private ServerOptions() {
    }

    /** {@link #DEFAULTS} followed by the extra options of this run. */
    static List<String> all(List<String> extraOptions) {
        List<String> all = new ArrayList<>(DEFAULTS);
        all.addAll(extraOptions);
        return List.copyOf(all);
    }
}
