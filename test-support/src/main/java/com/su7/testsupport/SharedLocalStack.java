package com.su7.testsupport;

import com.su7.localstack.LocalStack;
import com.su7.localstack.LocalStackSettings;

/**
 * The one local stack of this test JVM: started on first use on free ports (so tests run beside
 * {@code ./run.sh} on the default ports), stopped when the JVM exits.
 */
public final class SharedLocalStack {

    private static LocalStack stack;

    private SharedLocalStack() {
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            LocalStack started = LocalStack.start(LocalStackSettings.onFreePorts());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-stack-shutdown"));
            System.out.print(started.describe());
            stack = started;
        }
        return stack;
    }
}
