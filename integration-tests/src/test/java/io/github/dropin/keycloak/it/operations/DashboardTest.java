package io.github.dropin.keycloak.it.operations;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's queries read as metric names (the server check is in {@link MetricsIT}), and the dashboard shows
 * every meter of the pack.
 */
class DashboardTest {

    @Test
    void metricNamesOfPromQl() {
        assertThat(Dashboard.metricNames("sum by (sender, category) (rate(dropin_sms_failed_total{realm=~\"$realm\"}[$__rate_interval]))"))
                .containsExactly("dropin_sms_failed_total");
        assertThat(Dashboard.metricNames("histogram_quantile(0.95, sum by (le) (rate(dropin_sms_send_seconds_bucket[5m])))"))
                .containsExactly("dropin_sms_send_seconds_bucket");
        assertThat(Dashboard.metricNames("sum(a_total{x=\"by (y)\"}) / clamp_min(sum(b_total) + sum(c_total offset 1h), 1) and on (job) up"))
                .containsExactly("a_total", "b_total", "c_total", "up");
        assertThat(Dashboard.metricNames("process_cpu_usage")).containsExactly("process_cpu_usage");
        assertThat(Dashboard.metricNames("label_values(dropin_codes_issued_total, realm)")).containsExactly("dropin_codes_issued_total");
        assertThat(Dashboard.metricNames("sum without (instance) (x:recorded:rate5m) > bool 0.5")).containsExactly("x:recorded:rate5m");
    }

    @Test
    void theDashboardShowsEveryMeterOfThePack() throws Exception {
        Dashboard dashboard = Dashboard.read();
        assertThat(dashboard.metrics()).contains("dropin_sms_sent_total", "dropin_sms_failed_total",
                "dropin_sms_send_seconds_bucket", "dropin_codes_issued_total", "dropin_codes_checked_total",
                "dropin_codes_throttled_total", "dropin_shield_trips_total", "dropin_dialect_requests_seconds_count");
        assertThat(dashboard.queries()).allSatisfy(q -> assertThat(Dashboard.metricNames(q)).isNotEmpty());
    }
}
