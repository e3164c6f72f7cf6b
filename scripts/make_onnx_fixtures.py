#!/usr/bin/env python3
"""Builds the ONNX fixtures of ONNXImportTests and their onnxruntime reference outputs.

Writes into Tests/Fixtures/onnx/:
  * small models exercising every operator and variant the importer supports (*.onnx);
  * malformed models the importer must reject with a precise error (bad_*.onnx);
  * reference-outputs.json: onnxruntime outputs for a few inputs per valid model, and for the
    real VNN-COMP 2021 networks named in REAL_NETWORKS (paths relative to the vnncomp2021
    folder; the networks themselves are not copied).

Needs numpy, onnx and onnxruntime; the Swift tests only read the files this script writes.
Run from anywhere:  python3 scripts/make_onnx_fixtures.py
The benchmarks folder is $CERTUS_BENCHMARKS/vnncomp2021; without that variable the
reference outputs of real networks are not recorded. Output is deterministic for a given onnx/onnxruntime version.
"""

import json
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")
BENCHMARKS = (os.path.join(os.environ["CERTUS_BENCHMARKS"], "vnncomp2021")
              if os.environ.get("CERTUS_BENCHMARKS") else None)
REAL_NETWORKS = [
    "acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
    "acasxu/ACASXU_run2a_1_9_batch_2000.onnx",
    "acasxu/ACASXU_run2a_5_3_batch_2000.onnx",
    "mnistfc/mnist-net_256x2.onnx",
    "mnistfc/mnist-net_256x4.onnx",
    "mnistfc/mnist-net_256x6.onnx",
    "test/test_nano.onnx",
    "test/test_sat.onnx",
    "test/test_small.onnx",
    "test/test_tiny.onnx",
    "test/test_unsat.onnx",
]
CASES_PER_MODEL = 3

rng = np.random.default_rng(20211)


# ----------------------------------------------------------------------------------------------
# Helpers


def weights(*shape, dtype=np.float32, scale=1.0):
    """Random weights, rounded to float32 (or float64) and kept away from zero."""
    return (rng.uniform(-1, 1, size=shape) * scale).astype(dtype)


def init(name, array, raw=True):
    """An initializer from a numpy array, stored as raw_data or in the typed field."""
    if raw:
        return numpy_helper.from_array(np.asarray(array), name)
    array = np.asarray(array)
    dtype = helper.np_dtype_to_tensor_dtype(array.dtype)
    return helper.make_tensor(name, dtype, array.shape, array.flatten().tolist(), raw=False)


def value_info(name, shape, elem_type=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem_type, shape)


def model(name, nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    m = helper.make_model(graph, producer_name="certus-fixtures", opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m


def save(m, file_name):
    onnx.save(m, os.path.join(OUT, file_name))


def quantised_inputs(shape, low, high, dtype=np.float32):
    """Inputs on a 2^-8 grid: exact in float32 and short when printed."""
    values = np.round(rng.uniform(low, high, size=shape) * 256) / 256
    return values.astype(dtype)


def run(path_or_model, shape, dtype, low=-1.0, high=1.0):
    """CASES_PER_MODEL (input, output) pairs from onnxruntime, flattened row-major."""
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(path_or_model, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    cases = []
    for _ in range(CASES_PER_MODEL):
        x = quantised_inputs(shape, low, high, dtype)
        (y,) = session.run(None, {input_name: x})
        cases.append({
            "input": [float(v) for v in x.flatten()],
            "output": [float(v) for v in np.asarray(y).flatten()],
        })
    return cases


# ----------------------------------------------------------------------------------------------
# Valid models: (file name, model, input shape, numpy dtype)


def valid_models():
    models = []

    # Gemm with alpha, beta and transB; a second Gemm with a [1, n] bias and defaults.
    models.append(("gemm_alpha_beta_transB.onnx", model("gemm", [
        helper.make_node("Gemm", ["x", "B1", "C1"], ["g1"], name="gemm1", alpha=0.5, beta=2.0, transB=1),
        helper.make_node("Relu", ["g1"], ["r1"]),
        helper.make_node("Gemm", ["r1", "B2", "C2"], ["y"], name="gemm2"),
    ], [value_info("x", [1, 4])], [value_info("y", [1, 2])],
        [init("B1", weights(3, 4)), init("C1", weights(3)), init("B2", weights(3, 2)), init("C2", weights(1, 2))]),
        [1, 4], np.float32))

    # Gemm with transA on a column vector (a no-op on the data order), no C.
    models.append(("gemm_transA_column.onnx", model("gemm_transA", [
        helper.make_node("Gemm", ["x", "B"], ["y"], transA=1, alpha=2.0),
    ], [value_info("x", [4, 1])], [value_info("y", [1, 3])], [init("B", weights(4, 3))]), [4, 1], np.float32))

    # MatMul + Add (the Add folds into the bias), two layers.
    models.append(("matmul_add.onnx", model("matmul_add", [
        helper.make_node("MatMul", ["x", "W1"], ["m1"]),
        helper.make_node("Add", ["m1", "b1"], ["a1"]),
        helper.make_node("Relu", ["a1"], ["r1"]),
        helper.make_node("MatMul", ["r1", "W2"], ["m2"]),
        helper.make_node("Add", ["b2", "m2"], ["y"]),
    ], [value_info("x", [1, 6])], [value_info("y", [1, 3])],
        [init("W1", weights(6, 5)), init("b1", weights(5)), init("W2", weights(5, 3)), init("b2", weights(1, 3))]),
        [1, 6], np.float32))

    # Constant on the left of MatMul with a vector input (like test_small.onnx).
    models.append(("matmul_left_vector.onnx", model("matmul_left", [
        helper.make_node("MatMul", ["W1", "x"], ["m1"]),
        helper.make_node("Add", ["m1", "b1"], ["a1"]),
        helper.make_node("Relu", ["a1"], ["r1"]),
        helper.make_node("MatMul", ["W2", "r1"], ["y"]),
    ], [value_info("x", [3])], [value_info("y", [2])],
        [init("W1", weights(4, 3)), init("b1", weights(4)), init("W2", weights(2, 4))]), [3], np.float32))

    # Batched MatMul on both sides: [2,3]·[3,4] then [5,2]·[2,4].
    models.append(("matmul_batched.onnx", model("matmul_batched", [
        helper.make_node("MatMul", ["x", "W1"], ["m1"]),
        helper.make_node("Add", ["m1", "b1"], ["a1"]),
        helper.make_node("Relu", ["a1"], ["r1"]),
        helper.make_node("MatMul", ["W2", "r1"], ["y"]),
    ], [value_info("x", [2, 3])], [value_info("y", [5, 4])],
        [init("W1", weights(3, 4)), init("b1", weights(4)), init("W2", weights(5, 2))]), [2, 3], np.float32))

    # MatMul with a rank-1 constant (a dot product).
    models.append(("matmul_vector_weight.onnx", model("matmul_vec", [
        helper.make_node("MatMul", ["x", "W1"], ["m1"]),
        helper.make_node("Relu", ["m1"], ["r1"]),
        helper.make_node("MatMul", ["r1", "w2"], ["y"]),
    ], [value_info("x", [1, 4])], [value_info("y", [1])],
        [init("W1", weights(4, 3)), init("w2", weights(3))]), [1, 4], np.float32))

    # Sub/Mul/Div normalisation (input scaling as in ACAS Xu), Sub of a zero constant, and
    # constants on the left of Sub and Mul.
    models.append(("sub_mul_div.onnx", model("normalise", [
        helper.make_node("Sub", ["x", "zero"], ["s0"]),
        helper.make_node("Sub", ["s0", "mean"], ["s1"]),
        helper.make_node("Div", ["s1", "range"], ["d1"]),
        helper.make_node("Mul", ["d1", "gain"], ["g1"]),
        helper.make_node("Gemm", ["g1", "B", "C"], ["h1"], transB=1),
        helper.make_node("Relu", ["h1"], ["r1"]),
        helper.make_node("Sub", ["offset", "r1"], ["s2"]),
        helper.make_node("Mul", ["half", "s2"], ["m2"]),
        helper.make_node("Add", ["m2", "quarter"], ["a2"]),
        helper.make_node("Div", ["a2", "eight"], ["y"]),
    ], [value_info("x", [1, 5])], [value_info("y", [1, 3])], [
        init("zero", np.zeros((1, 5), np.float32)),
        init("mean", weights(5)), init("range", np.abs(weights(5)) + 0.5), init("gain", weights(1, 5)),
        init("B", weights(3, 5)), init("C", weights(3)), init("offset", weights(3)),
        init("half", np.array(0.5, np.float32)), init("quarter", np.array([0.25], np.float32)),
        init("eight", np.array(8.0, np.float32)),
    ]), [1, 5], np.float32))

    # Flatten and Reshape with 0 and -1.
    models.append(("flatten_reshape.onnx", model("flatten_reshape", [
        helper.make_node("Flatten", ["x"], ["f1"], axis=1),
        helper.make_node("MatMul", ["f1", "W1"], ["m1"]),
        helper.make_node("Reshape", ["m1", "shape1"], ["r1"]),
        helper.make_node("Relu", ["r1"], ["relu1"]),
        helper.make_node("Reshape", ["relu1", "shape2"], ["r2"]),
        helper.make_node("Reshape", ["r2", "shape3"], ["r3"]),
        helper.make_node("Flatten", ["r3"], ["f2"], axis=-1),
        helper.make_node("Gemm", ["f2", "B2"], ["y"]),
    ], [value_info("x", [1, 2, 3, 2])], [value_info("y", [1, 2])], [
        init("W1", weights(12, 6)), init("shape1", np.array([0, 2, -1], np.int64)),
        init("shape2", np.array([-1], np.int64), raw=False), init("shape3", np.array([1, -1], np.int64)),
        init("B2", weights(6, 2)),
    ]), [1, 2, 3, 2], np.float32))

    # Squeeze/Unsqueeze with the axes attribute (opset 11).
    models.append(("squeeze_unsqueeze_opset11.onnx", model("squeeze11", [
        helper.make_node("Squeeze", ["x"], ["s1"], axes=[1, 2]),
        helper.make_node("MatMul", ["s1", "W1"], ["m1"]),
        helper.make_node("Unsqueeze", ["m1"], ["u1"], axes=[0, -1]),
        helper.make_node("Relu", ["u1"], ["r1"]),
        helper.make_node("Squeeze", ["r1"], ["s2"]),
        helper.make_node("MatMul", ["s2", "W2"], ["y"]),
    ], [value_info("x", [1, 1, 1, 5])], [value_info("y", [2])],
        [init("W1", weights(5, 4)), init("W2", weights(4, 2))], opset=11), [1, 1, 1, 5], np.float32))

    # Squeeze/Unsqueeze with axes as an input (opset 13).
    models.append(("squeeze_unsqueeze_opset13.onnx", model("squeeze13", [
        helper.make_node("Squeeze", ["x", "axes_sq"], ["s1"]),
        helper.make_node("MatMul", ["s1", "W1"], ["m1"]),
        helper.make_node("Unsqueeze", ["m1", "axes_unsq"], ["u1"]),
        helper.make_node("Relu", ["u1"], ["r1"]),
        helper.make_node("Squeeze", ["r1"], ["s2"]),
        helper.make_node("Unsqueeze", ["s2", "axes_zero"], ["u2"]),
        helper.make_node("Gemm", ["u2", "B2", "C2"], ["y"]),
    ], [value_info("x", [1, 5, 1])], [value_info("y", [1, 2])], [
        init("axes_sq", np.array([-1], np.int64)), init("W1", weights(5, 4)),
        init("axes_unsq", np.array([1], np.int64)), init("axes_zero", np.array([0], np.int64)),
        init("B2", weights(4, 2)), init("C2", weights(2)),
    ]), [1, 5, 1], np.float32))

    # Constant nodes (tensor, value_float, value_ints) and Identity on variables and constants.
    w_const = numpy_helper.from_array(weights(4, 3), "w_const")
    models.append(("identity_constant.onnx", model("constants", [
        helper.make_node("Constant", [], ["W"], value=w_const),
        helper.make_node("Constant", [], ["bias"], value_floats=[0.5, -1.25, 2.0]),
        helper.make_node("Constant", [], ["two"], value_float=2.0),
        helper.make_node("Constant", [], ["shape"], value_ints=[1, 3]),
        helper.make_node("Identity", ["x"], ["i1"]),
        helper.make_node("Identity", ["W"], ["W_alias"]),
        helper.make_node("MatMul", ["i1", "W_alias"], ["m1"]),
        helper.make_node("Add", ["m1", "bias"], ["a1"]),
        helper.make_node("Reshape", ["a1", "shape"], ["r1"]),
        helper.make_node("Mul", ["r1", "two"], ["y"]),
    ], [value_info("x", [1, 4])], [value_info("y", [1, 3])]), [1, 4], np.float32))

    # Transpose: of a constant, of a trivial axis, and a real reordering of the variable.
    models.append(("transpose.onnx", model("transpose", [
        helper.make_node("Transpose", ["Wt"], ["W"], perm=[1, 0]),
        helper.make_node("MatMul", ["x", "W"], ["m1"]),
        helper.make_node("Transpose", ["m1"], ["t1"], perm=[1, 0]),
        helper.make_node("Reshape", ["t1", "shape23"], ["r1"]),
        helper.make_node("Transpose", ["r1"], ["t2"]),
        helper.make_node("Relu", ["t2"], ["relu"]),
        helper.make_node("Reshape", ["relu", "shape16"], ["f"]),
        helper.make_node("Gemm", ["f", "B"], ["y"]),
    ], [value_info("x", [1, 4])], [value_info("y", [1, 2])], [
        init("Wt", weights(6, 4)), init("shape23", np.array([2, 3], np.int64)),
        init("shape16", np.array([1, 6], np.int64)), init("B", weights(6, 2)),
    ]), [1, 4], np.float32))

    # Batch normalisation after a convolution and after a Gemm.
    models.append(("batchnorm.onnx", model("batchnorm", [
        helper.make_node("Conv", ["x", "K", "Kb"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "s1", "b1", "m1", "v1"], ["bn1"], epsilon=1e-3),
        helper.make_node("Relu", ["bn1"], ["r1"]),
        helper.make_node("Flatten", ["r1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "B", "C"], ["g1"], transB=1),
        helper.make_node("BatchNormalization", ["g1", "s2", "b2", "m2", "v2"], ["y"]),
    ], [value_info("x", [1, 2, 4, 4])], [value_info("y", [1, 5])], [
        init("K", weights(3, 2, 3, 3)), init("Kb", weights(3)),
        init("s1", weights(3)), init("b1", weights(3)), init("m1", weights(3)), init("v1", np.abs(weights(3)) + 0.1),
        init("B", weights(5, 48)), init("C", weights(5)),
        init("s2", weights(5)), init("b2", weights(5)), init("m2", weights(5)), init("v2", np.abs(weights(5)) + 0.1),
    ]), [1, 2, 4, 4], np.float32))

    # Conv with strides, asymmetric pads and dilations; then SAME_UPPER without bias.
    models.append(("conv_stride_pad_dilation.onnx", model("conv", [
        helper.make_node("Conv", ["x", "K1", "b1"], ["c1"], strides=[2, 1], pads=[1, 0, 2, 1], dilations=[1, 2]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "K2"], ["y"], auto_pad="SAME_UPPER", strides=[2, 2], kernel_shape=[2, 3]),
    ], [value_info("x", [1, 2, 7, 6])], [value_info("y", [1, 2, 2, 3])],
        [init("K1", weights(3, 2, 3, 2)), init("b1", weights(3)), init("K2", weights(2, 3, 2, 3))]),
        [1, 2, 7, 6], np.float32))

    # One-dimensional convolution with SAME_LOWER.
    models.append(("conv1d.onnx", model("conv1d", [
        helper.make_node("Conv", ["x", "K", "b"], ["y"], auto_pad="SAME_LOWER", strides=[2]),
    ], [value_info("x", [1, 2, 7])], [value_info("y", [1, 3, 4])],
        [init("K", weights(3, 2, 4)), init("b", weights(3))]), [1, 2, 7], np.float32))

    # A small CNN in the shape of VNN-COMP's convolutional benchmarks.
    models.append(("small_cnn.onnx", model("small_cnn", [
        helper.make_node("Sub", ["x", "mean"], ["n1"]),
        helper.make_node("Div", ["n1", "std"], ["n2"]),
        helper.make_node("Conv", ["n2", "K1", "b1"], ["c1"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "K2", "b2"], ["c2"], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Flatten", ["r2"], ["f"]),
        helper.make_node("Gemm", ["f", "B1", "C1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["r3"]),
        helper.make_node("Gemm", ["r3", "B2", "C2"], ["y"], transB=1),
    ], [value_info("x", [1, 1, 8, 8])], [value_info("y", [1, 10])], [
        init("mean", np.array([0.1307], np.float32)), init("std", np.array([0.3081], np.float32)),
        init("K1", weights(4, 1, 3, 3)), init("b1", weights(4)),
        init("K2", weights(8, 4, 3, 3, scale=0.5)), init("b2", weights(8)),
        init("B1", weights(16, 32, scale=0.5)), init("C1", weights(16)),
        init("B2", weights(10, 16)), init("C2", weights(10)),
    ]), [1, 1, 8, 8], np.float32))

    # float64 throughout, weights in raw_data and in double_data.
    D = TensorProto.DOUBLE
    models.append(("float64.onnx", model("float64", [
        helper.make_node("MatMul", ["x", "W1"], ["m1"]),
        helper.make_node("Add", ["m1", "b1"], ["a1"]),
        helper.make_node("Relu", ["a1"], ["r1"]),
        helper.make_node("Gemm", ["r1", "B2", "C2"], ["g2"], transB=1, alpha=0.75),
        helper.make_node("Div", ["g2", "d"], ["y"]),
    ], [value_info("x", [1, 3], D)], [value_info("y", [1, 2], D)], [
        init("W1", weights(3, 4, dtype=np.float64)), init("b1", weights(4, dtype=np.float64), raw=False),
        init("B2", weights(2, 4, dtype=np.float64), raw=False), init("C2", weights(2, dtype=np.float64)),
        init("d", np.array([3.0, -7.0], np.float64)),
    ]), [1, 3], np.float64))

    # float32 weights in float_data rather than raw_data; Mul before Gemm (folds exactly).
    models.append(("float_data.onnx", model("float_data", [
        helper.make_node("Relu", ["x"], ["r"]),
        helper.make_node("Mul", ["r", "scale"], ["s"]),
        helper.make_node("Gemm", ["s", "B", "C"], ["y"], transB=1),
    ], [value_info("x", [1, 4])], [value_info("y", [1, 3])], [
        init("scale", weights(4), raw=False), init("B", weights(3, 4), raw=False), init("C", weights(3), raw=False),
    ]), [1, 4], np.float32))

    # A symbolic batch dimension on the input, as some exporters write.
    sym_input = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])
    models.append(("symbolic_batch.onnx", model("symbolic_batch", [
        helper.make_node("Gemm", ["x", "B", "C"], ["y"], transB=1),
    ], [sym_input], [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])],
        [init("B", weights(2, 3)), init("C", weights(2))]), [1, 3], np.float32))

    return models


# ----------------------------------------------------------------------------------------------
# Malformed models (the Swift tests hold the expected messages)


def malformed_models():
    F = TensorProto.FLOAT
    out = {}

    out["bad_unsupported_op.onnx"] = model("softmax", [
        helper.make_node("Gemm", ["x", "B"], ["g"], name="dense"),
        helper.make_node("Softmax", ["g"], ["y"], name="softmax"),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 2])], [init("B", weights(3, 2))])

    out["bad_two_inputs.onnx"] = model("two_inputs", [
        helper.make_node("Add", ["x", "z"], ["y"]),
    ], [value_info("x", [1, 3]), value_info("z", [1, 3])], [value_info("y", [1, 3])])

    nan_weights = weights(3, 2)
    nan_weights[1, 1] = np.nan
    out["bad_nan_weight.onnx"] = model("nan", [
        helper.make_node("MatMul", ["x", "W"], ["y"], name="mm"),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 2])], [init("W", nan_weights)])

    truncated = TensorProto(name="W", data_type=F, dims=[3, 4], raw_data=weights(10).tobytes())
    out["bad_truncated_raw.onnx"] = model("truncated", [
        helper.make_node("MatMul", ["x", "W"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 4])], [truncated])

    huge = TensorProto(name="W", data_type=F, dims=[1000000, 1000000], raw_data=weights(3).tobytes())
    out["bad_huge_dims.onnx"] = model("huge", [
        helper.make_node("MatMul", ["x", "W"], ["y"], name="mm"),
    ], [value_info("x", [1, 1000000])], [value_info("y", [1, 1000000])], [huge])

    out["bad_transA.onnx"] = model("transA", [
        helper.make_node("Identity", ["x"], ["i0"]),
        helper.make_node("Relu", ["i0"], ["r1"]),
        helper.make_node("Identity", ["r1"], ["i2"]),
        helper.make_node("Gemm", ["i2", "B"], ["y"], name="Gemm_7", transA=1),
    ], [value_info("x", [2, 3])], [value_info("y", [3, 4])], [init("B", weights(2, 4))])

    out["bad_branch.onnx"] = model("branch", [
        helper.make_node("Relu", ["x"], ["a"], name="left"),
        helper.make_node("Neg", ["x"], ["b"], name="right"),
        helper.make_node("Add", ["a", "b"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 3])])

    f16 = TensorProto(name="W", data_type=TensorProto.FLOAT16, dims=[3, 2],
                      raw_data=np.ones((3, 2), np.float16).tobytes())
    out["bad_float16.onnx"] = model("float16", [
        helper.make_node("MatMul", ["x", "W"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 2])], [f16])

    out["bad_dimension_mismatch.onnx"] = model("mismatch", [
        helper.make_node("MatMul", ["x", "W"], ["y"], name="mm"),
    ], [value_info("x", [1, 4])], [value_info("y", [1, 3])], [init("W", weights(5, 3))])

    out["bad_missing_attribute.onnx"] = model("missing", [
        helper.make_node("Unsqueeze", ["x"], ["y"]),
    ], [value_info("x", [3])], [value_info("y", [1, 3])], opset=11)

    out["bad_variable_divisor.onnx"] = model("divisor", [
        helper.make_node("Div", ["c", "x"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 3])], [init("c", weights(3))])

    out["bad_group_conv.onnx"] = model("group", [
        helper.make_node("Conv", ["x", "K"], ["y"], group=2),
    ], [value_info("x", [1, 2, 4, 4])], [value_info("y", [1, 2, 2, 2])], [init("K", weights(2, 1, 3, 3))])

    external = TensorProto(name="W", data_type=F, dims=[3, 2], data_location=TensorProto.EXTERNAL)
    entry = external.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    out["bad_external_data.onnx"] = model("external", [
        helper.make_node("MatMul", ["x", "W"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 2])], [external])

    out["bad_output_shape.onnx"] = model("output_shape", [
        helper.make_node("MatMul", ["x", "W"], ["y"]),
    ], [value_info("x", [1, 3])], [value_info("y", [1, 5])], [init("W", weights(3, 2))])

    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    references = {
        "generator": "scripts/make_onnx_fixtures.py",
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "fixtures": [],
        "benchmarks": [],
    }

    models = valid_models()
    for file_name, m, shape, dtype in models:
        save(m, file_name)
        references["fixtures"].append({
            "model": file_name,
            "cases": run(m.SerializeToString(), shape, dtype),
        })

    for file_name, m in malformed_models().items():
        save(m, file_name)
    # A valid model cut off in the middle of a field.
    valid = models[0][1].SerializeToString()
    with open(os.path.join(OUT, "bad_protobuf.onnx"), "wb") as f:
        f.write(valid[: len(valid) // 2])

    if BENCHMARKS and os.path.isdir(BENCHMARKS):
        for relative in REAL_NETWORKS:
            path = os.path.join(BENCHMARKS, relative)
            session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
            shape = [d if isinstance(d, int) and d > 0 else 1 for d in session.get_inputs()[0].shape]
            low, high = (0.0, 1.0) if relative.startswith("mnistfc") else (-0.5, 0.5)
            references["benchmarks"].append({
                "model": relative,
                "cases": run(path, shape, np.float32, low, high),
            })
    else:
        print(f"warning: {BENCHMARKS or '$CERTUS_BENCHMARKS/vnncomp2021'} not found; reference outputs of real networks not recorded", file=sys.stderr)

    with open(os.path.join(OUT, "reference-outputs.json"), "w") as f:
        json.dump(references, f, indent=1)
        f.write("\n")
    print(f"wrote {len(references['fixtures'])} fixture and {len(references['benchmarks'])} benchmark references to {OUT}")


if __name__ == "__main__":
    main()
