"""``ModelGraph``: one model's whole TF1 graph, built the same way for all three models.

    X, Y            placeholders (n_x, None) and (1, None). They default to the training set,
                    which is copied into the graph once (``data/X_train``), so training steps feed
                    nothing; feed X and Y explicitly to evaluate other data.
    parameters      {"W1": tf.Variable, ...} created from the NumPy initial values
    A, Z            the output layer's activation ŷ and logits
    cost            J, from the logits (stable)
    grads           {"dW1": tf.gradients(cost, W1), ...}: autodiff, to compare with the NumPy backward pass
    train           one step of the update rule (graphs.optimizers), e.g. gradient descent θ := θ − α dθ
    train_loop      ``n_steps`` steps in one Session.run (a tf.while_loop around the same step),
                    on the training set held in the graph

For wide inputs (``holds_transpose``) the training loop also holds Xᵀ (``data/X_T_data``), from
which it computes dW1 = dZ1 Xᵀ faster, with the same numbers.

Speed (docs/performance.md): pass ``m``, the number of training examples, when it is known. The
training data then have a static shape inside ``train_loop``, and TensorFlow's graph optimizer
replaces the shape arithmetic of the gradients (Shape, BroadcastGradientArgs, Reshape: about a
third of the ops of a 2-4-1 step) by constants. The arithmetic of a step is the same either way.
"""
import collections

import numpy as np

from tf_models.activations import DECISION_THRESHOLD
from tf_models.graphs import layers, optimizers
from tf_models.graphs.tfcompat import IS_TF2, tf

# From this many input features on, the training loop also holds Xᵀ (one more copy of X) and
# takes dW1 = dZ1 Xᵀ from it (layers.product; see holds_transpose). The course's cat images have
# 12288; the 2-D and tabular datasets stay with one copy.
TRANSPOSED_COPY_MIN_FEATURES = 1024


class ModelGraph(collections.namedtuple("ModelGraph", [
        "name", "model", "graph", "dtype", "activation", "update", "X", "Y", "X_train", "Y_train",
        "parameters", "A", "Z", "cost", "grads", "train", "n_steps", "train_loop", "predictions",
        "accuracy", "init", "data_init"])):
    """Handles to the nodes of a built graph (see the module docstring). ``name`` is the model's
    name (a key of ``models.REGISTRY``), ``model`` its graph module (``graphs.logistic``, ``shallow`` or ``deep``), ``graph`` the ``tf.Graph`` holding it all."""

    def parameter_values(self, sess):
        """The current parameters as a dict of NumPy arrays (scalars stay 0-d)."""
        return sess.run(self.parameters)


def build(name, model, initial_parameters, update, dtype, m=None, **options):
    """Build the graph of one model from checked inputs.

    name: the model's name; model: its graph module, whose forward_propagation(X, parameters, reenter, **options) gives
    (A, cache), output_logits(cache) the output layer's Z, and compute_cost(cache, Y) the cost;
    ``reenter`` True for the main copy (its nodes share the parameters' ``layer_<l>`` scopes),
    False inside the training loop. update: an ``updates`` rule. ``m``: the number of training
    examples, or None to accept any (see the module docstring).
    """
    dt = layers.tf_dtype(dtype)
    first = initial_parameters["W1"] if "W1" in initial_parameters else initial_parameters["w"].T
    n_x = int(np.shape(first)[1])
    forward = lambda X, p, reenter: model.forward_propagation(X, p, reenter, **options)  # noqa: E731
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("data"):
            X_train = tf.placeholder(dt, (n_x, m), name="X_train")
            Y_train = tf.placeholder(dt, (1, m), name="Y_train")
            X_data = tf.Variable(X_train, trainable=False, validate_shape=False, name="X_data",
                                 collections=[tf.GraphKeys.LOCAL_VARIABLES])
            Y_data = tf.Variable(Y_train, trainable=False, validate_shape=False, name="Y_data",
                                 collections=[tf.GraphKeys.LOCAL_VARIABLES])
            # What train_loop reads: the same data, with their shape stated when m is known.
            X_steps = _with_shape(X_data, (n_x, m), "X_steps")
            Y_steps = _with_shape(Y_data, (1, m), "Y_steps")
            if holds_transpose(n_x, dt):
                X_T_data = tf.Variable(tf.transpose(X_train), trainable=False,
                                       validate_shape=False, name="X_T_data",
                                       collections=[tf.GraphKeys.LOCAL_VARIABLES])
                layers.hold_transpose(X_steps, _with_shape(X_T_data, (m, n_x), "X_T_steps"))
        X = tf.placeholder_with_default(X_data, (n_x, None), name="X")
        Y = tf.placeholder_with_default(Y_data, (1, None), name="Y")
        parameters = layers.create_parameters(initial_parameters, dt)
        A, cache = forward(X, parameters, True)
        Z = model.output_logits(cache)
        cost = model.compute_cost(cache, Y)
        names = sorted(parameters)
        with tf.name_scope("gradients_of_cost"):
            grad_list = tf.gradients(cost, [parameters[k] for k in names])
            grads = dict(zip(["d" + k for k in names], grad_list))
        optimizer = optimizers.optimizer(update, dt)
        # The step applies the gradients above (``grads``), not a second copy of them, gated by
        # tf.tuple as minimize(..., gate_gradients=GATE_GRAPH) would: every gradient is computed
        # before any parameter is updated. With TF1's ref variables an update is in place, and a
        # gradient still reading W2 could otherwise see the new W2 (dZ1 = W2ᵀ dZ2 * g'(Z1) needs
        # the old one). One box ``train`` in TensorBoard holds the gating and the updates; passing
        # the scope's name ("train/") as the op's name gives the op itself the plain name ``train``.
        with tf.name_scope("train") as scope:
            gated = tf.tuple(grad_list)
            train = optimizer.apply_gradients(list(zip(gated, [parameters[k] for k in names])),
                                              name=scope)
        n_steps, train_loop = _training_loop(X_steps, Y_steps, parameters, names, model, forward,
                                             optimizer)
        with tf.name_scope("predict"):
            # activations.to_labels in the graph: label 1 where ŷ > 0.5
            predictions = tf.cast(A > DECISION_THRESHOLD, dt, name="Y_prediction")
            accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, Y), dt), name="accuracy")
        init = tf.variables_initializer(tf.global_variables(), name="init")
        data_init = tf.variables_initializer(tf.local_variables(), name="data/init")
    return ModelGraph(name=name, model=model, graph=graph, dtype=np.dtype(dtype),
                      activation=options.get("activation"), update=update, X=X, Y=Y,
                      X_train=X_train, Y_train=Y_train, parameters=parameters, A=A, Z=Z, cost=cost,
                      grads=grads, train=train, n_steps=n_steps, train_loop=train_loop,
                      predictions=predictions, accuracy=accuracy, init=init, data_init=data_init)


def holds_transpose(n_x, dtype):
    """Whether the training loop also holds Xᵀ: for wide inputs, in float64, and in float32 on
    TensorFlow 1.x. TensorFlow 2's float32 products (oneDNN) sum in an order that depends on the
    operands' layout, so there the copy would change the numbers, and it measured no faster."""
    return n_x >= TRANSPOSED_COPY_MIN_FEATURES and (dtype == tf.float64 or not IS_TF2)


def _with_shape(data, shape, name):
    """The data variable's value with its static shape stated (an Identity: no copy)."""
    value = tf.identity(data, name=name)
    value.set_shape(shape)
    return value


def _training_loop(X, Y, parameters, names, model, forward, optimizer):
    """``n_steps`` gradient-descent steps inside one Session.run: the same step as ``train``,
    rebuilt in a tf.while_loop body. Each iteration reads the parameters only after the
    previous iteration's update (the reads depend on the loop counter, and the counter on the
    update), so K loop steps equal K calls of ``train`` exactly."""
    with tf.name_scope("train_loop"):
        n_steps = tf.placeholder(tf.int32, (), name="n_steps")

        def body(i):
            with tf.control_dependencies([i]):
                current = {k: tf.identity(parameters[k]) for k in names}
            _, cache = forward(X, current, False)
            J = model.compute_cost(cache, Y)
            grads = tf.tuple(tf.gradients(J, [current[k] for k in names]))  # as GATE_GRAPH
            step = optimizer.apply_gradients(list(zip(grads, [parameters[k] for k in names])))
            with tf.control_dependencies([step]):
                return i + 1

        loop = tf.while_loop(lambda i: i < n_steps, body, [tf.constant(0)],
                             parallel_iterations=1, back_prop=False, name="steps")
    return n_steps, loop
