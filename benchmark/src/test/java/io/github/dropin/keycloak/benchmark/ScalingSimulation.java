package io.github.dropin.keycloak.benchmark;

import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;
import java.util.List;

/**
 * One scenario, the phone-otp round, at {@code benchmark.users} concurrent users against one node or against every
 * node of a cluster ({@code benchmark.url} listing them): {@code benchmark/scaling.sh} runs it at two load levels on
 * one node and on two, and RESULTS.md shows how throughput grows with nodes.
 */
public class ScalingSimulation extends Simulation {

    private final BenchmarkConfig config = BenchmarkConfig.fromSystemProperties();
    private final Scenarios scenarios = new Scenarios(config, PairsSimulation.demoRealm());

    {
        setUp(scenarios.plan(List.of(List.of(Scenarios.PHONE_OTP)))).protocols(scenarios.protocol());
    }

    @Override
    public void after() {
        Path summary = scenarios.summarise("scaling", List.of());
        System.out.println("[benchmark] summary " + summary);
    }
}
