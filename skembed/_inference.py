"""Inference: the values of any layer of a network for many rows.

Small inputs (an online service's single row, a validation set) go through
in one block, with numpy allocating each layer once. Large ones go through in
chunks of ``CHUNK_ROWS`` rows over buffers allocated once, with each layer's
bias broadcast to a full block beforehand so that BLAS accumulates the matrix
product straight onto it.

This is the math layer: it never sees an estimator.
"""

import numpy as np
import scipy.sparse as sp
from scipy.linalg.blas import dgemm, sgemm

from ._activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from ._input_layer import scale_sparse
from ._network import Inputs, blas_result_into, embed_inputs

# Rows per forward pass over a large input: large enough for efficient
# matrix products, small enough that the activations stay in reused buffers.
CHUNK_ROWS = 4096
# A numeric embedding's basis holds n_columns x n_basis numbers a row: chunks
# are cut so that it stays under this many bytes (a wide table's 4096 rows
# would otherwise need tens of megabytes for it).
BASIS_BYTES = 4_000_000


def chunk_rows(network):
    """Rows per chunk for ``network``: ``CHUNK_ROWS``, fewer when a numeric
    embedding's basis would outgrow ``BASIS_BYTES``."""
    emb = network.layout.numeric_embedding
    if emb is None:
        return CHUNK_ROWS
    per_row = emb.n_columns * emb.n_basis * network.dtype.itemsize
    return int(min(CHUNK_ROWS, max(256, BASIS_BYTES // per_row)))


def infer(network, inputs, layer=None, output="activation"):
    """Values of one layer of ``network`` for every row of ``inputs``.

    Parameters
    ----------
    network : Network
    inputs : Inputs
    layer : None, "input" or int, default=None
        ``None`` is the output layer, ``"input"`` the input embedding, an int
        the (0-based, non-negative) index of a hidden layer.
    output : {"activation", "pre_activation"}, default="activation"
        The layer's activation, or its pre-activation ``z = a W + b``.

    Returns
    -------
    values : ndarray of shape (len(inputs), width of the layer)
        In the network's dtype.
    """
    pre_activation = output == "pre_activation"
    if inputs.sparse:  # scaled without centring: sparse X's input embedding is sparse
        inputs = Inputs(scale_sparse(network.preprocessing, inputs.numeric), inputs.codes)
        if layer == "input":
            return inputs.numeric.copy()
    if len(inputs) <= chunk_rows(network):
        return _block(network, inputs, layer, pre_activation)
    return _chunks(network, inputs, layer, pre_activation)


def _input_embedding(network, inputs, out=None):
    """The input embedding of ``inputs``: the numeric block itself when it is
    the raw columns (and sparse) and there is no ``out`` to fill."""
    if out is None and (inputs.sparse or network.layout.plain_input):
        return inputs.numeric
    if out is None:
        out = np.empty((len(inputs), network.layout.layer_sizes[0]), dtype=network.dtype)
    if inputs.sparse or network.layout.plain_input:
        out[...] = inputs.numeric
        return out
    return embed_inputs(network, inputs, out)


def _block(network, inputs, layer, pre_activation):
    """All rows at once, each layer in a fresh array."""
    a = _input_embedding(network, inputs)
    if layer == "input":
        return a.copy() if a is inputs.numeric else a
    coefs, intercepts = network.views.coefs, network.views.intercepts
    last = len(coefs) - 1
    index = last if layer is None else layer
    act = ACTIVATIONS[network.activation].forward
    inputs_embedded = a
    for i in range(index + 1):
        z = a @ coefs[i]
        z += intercepts[i]
        if i == last and network.views.skip is not None:
            z += inputs_embedded @ network.views.skip
        if i == index and pre_activation:
            return z
        a = act(z, z) if i < last else _output_activation(network, z)
    return a


def _output_activation(network, z):
    # softmax reads z after writing its first pass: give it its own output
    out = np.empty_like(z) if network.out_activation == "softmax" else z
    return OUTPUT_ACTIVATIONS[network.out_activation](z, out)


def _chunks(network, inputs, layer, pre_activation):
    """Chunk by chunk, over buffers allocated once."""
    n, sizes = len(inputs), network.layout.layer_sizes
    last = network.layout.n_layers - 1
    index = last if layer is None else layer
    width = sizes[0] if layer == "input" else sizes[index + 1]
    result = np.empty((n, width), dtype=network.dtype)
    capacity = chunk_rows(network)
    # raw columns as they are: a chunk of rows of the numeric block is used as
    # it is, and only an input embedding of its own needs a buffer
    plain = network.layout.plain_input or inputs.sparse
    embedding = None
    if not plain or layer == "input":
        embedding = np.empty((capacity, sizes[0]), dtype=network.dtype)
    buffers = [np.empty((capacity, w), dtype=network.dtype) for w in sizes[1:]]
    # the parameters are fixed here: broadcast each bias to a full block once
    bias_blocks = [np.broadcast_to(b, (capacity, b.size)).copy()
                   for b in network.views.intercepts]
    for start in range(0, n, capacity):
        stop = min(n, start + capacity)
        chunk = inputs.rows(slice(start, stop))
        out = None if embedding is None else embedding[: stop - start]
        a = _input_embedding(network, chunk, out)
        if layer == "input":
            result[start:stop] = a
            continue
        result[start:stop] = _chunk_forward(
            network, a, [b[: stop - start] for b in buffers],
            [b[: stop - start] for b in bias_blocks], (index, pre_activation),
        )
    return result


def _chunk_forward(network, a, buffers, bias_blocks, target):
    """Forward one chunk ``a`` up to layer ``target = (index, pre_activation)``."""
    index, pre_activation = target
    coefs = network.views.coefs
    last = len(coefs) - 1
    act = ACTIVATIONS[network.activation].forward
    inputs_embedded = a
    for i in range(index + 1):
        z = _linear_onto_bias(a, coefs[i], bias_blocks[i], buffers[i])
        if i == last and network.views.skip is not None:
            z += inputs_embedded @ network.views.skip
        if i == index and pre_activation:
            return z
        a = act(z, z) if i < last else _output_activation(network, z)
    return a


def _linear_onto_bias(a, coef, bias_block, out):
    """``out = a @ coef + bias``: copy the broadcast bias into ``out`` and let
    BLAS accumulate ``a @ coef`` onto it (gemm with beta=1), one pass over
    ``out`` fewer than a product followed by an addition."""
    np.copyto(out, bias_block)
    if sp.issparse(a):
        out += a @ coef
        return out
    if coef.shape[1] == 1:
        out[:, 0] += a @ coef[:, 0]
        return out
    # out is C-contiguous, so out.T is the Fortran-ordered matrix gemm updates
    result = _GEMM[out.dtype.char](1.0, coef.T, a.T, beta=1.0, c=out.T, overwrite_c=True)
    return blas_result_into(result.T, out)


_GEMM = {"f": sgemm, "d": dgemm}
