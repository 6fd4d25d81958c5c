package org.sedflow.flow.bench;

/** `sedflow bench flow`: timings of the flow kernels (being written; see issue 3). */
public final class FlowBench {
    private FlowBench() {}

    public static void main(String[] args) throws Exception {
        throw new UnsupportedOperationException("bench flow is not written yet");
    }
}
