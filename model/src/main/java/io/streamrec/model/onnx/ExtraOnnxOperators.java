package io.streamrec.model.onnx;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * ONNX operators that tribuo-util-onnx 4.3.2 does not define ({@link ONNXOperators} has Gemm,
 * Mul and Concat but no Relu), declared the same way tribuo declares its own: name, input and
 * output counts, attributes, default domain, and the same opset as {@link ONNXOperators}.
 */
enum ExtraOnnxOperators implements ONNXOperator {
    /** Element-wise max(0, x). No attributes; Relu-6/13/14 are all valid under opset 13+. */
    RELU("Relu", 1, 1);

    private final String opName;
    private final int numInputs;
    private final int numOutputs;

    ExtraOnnxOperators(String opName, int numInputs, int numOutputs) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOutputs = numOutputs;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Collections.emptyMap();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Collections.emptySet();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    /** Null means the default ONNX domain, as for {@link ONNXOperators}. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
