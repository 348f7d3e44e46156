package org.xenomarket.vmm.agent;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.ConfigValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xenomarket.vmm.config.InvalidVmmConfig;

/**
 * The agent's entry point, {@code java -jar vmm-<version>-runner.jar [agent.properties]}: reads the
 * settings file given (environment variables and -D options override it), runs
 * {@link NodeAgentApplication}, and turns a configuration the agent cannot run with into a message
 * naming the key and exit code {@value #BAD_CONFIGURATION}, so systemd and the provider see why.
 */
@QuarkusMain
public final class AgentMain {

    /** The exit code of a bad configuration. */
    public static final int BAD_CONFIGURATION = 2;

    public static void main(String... args) {
        if (args.length > 1) {
            System.err.println("usage: java -jar vmm-<version>-runner.jar [agent.properties]");
            System.exit(BAD_CONFIGURATION);
        }
        if (args.length == 1) {
            // The settings file as the one argument, as the agent has always been started.
            Path file = Path.of(args[0]).toAbsolutePath();
            if (!Files.isReadable(file)) {
                System.err.println("xenomarket node agent: bad configuration: cannot read the settings file " + file);
                System.exit(BAD_CONFIGURATION);
            }
            System.setProperty(SettingsFile.KEY, file.toString());
        }
        Quarkus.run(NodeAgentApplication.class, AgentMain::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            List<String> problems = configurationProblems(failure);
            if (!problems.isEmpty()) {
                System.err.println("xenomarket node agent: bad configuration:");
                problems.forEach(problem -> System.err.println("  " + problem));
                System.exit(BAD_CONFIGURATION);
            }
            failure.printStackTrace();
        }
        System.exit(code);
    }

    /**
     * What is wrong with the configuration, one line per key, if that is why the agent failed: a
     * value our checks refused, or one the mapping could not convert or found missing.
     */
    static List<String> configurationProblems(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidVmmConfig invalid) {
                return List.of(invalid.getMessage());
            }
            if (cause instanceof ConfigValidationException invalid) {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < invalid.getProblemCount(); i++) {
                    // "java.lang.IllegalArgumentException: SRCFG00039: The config property ...": the
                    // exception's class means nothing to a provider.
                    problems.add(invalid.getProblem(i).getMessage().replaceFirst("^[\\w.$]+(Exception|Error): ", ""));
                }
                return problems;
            }
        }
        return List.of();
    }
}
