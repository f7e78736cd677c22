"""The course's demonstrations, one module each; the scripts ``scripts/demo_<name>.py`` and the
notebooks call the same functions.

    vectorization        1.2.4.1  a Python loop vs np.dot vs TensorFlow, for a dot product and a step
    computation_graph    1.2.3    J = 3(a + bc): forward values and the chain rule vs tf.gradients
    activation_functions 1.3.4    sigmoid, tanh, ReLU, leaky ReLU and their derivatives
    initialization       1.4.3.3  zeros, randn·0.01, the text's rand·0.01, large, He: cost curves
    hidden_units         1.4.3.2  1 … 50 hidden units on the flower: decision boundaries
    learning_rate        1.2.2    several α, one too large: cost curves

Each module has a function that computes (returns plain numbers and arrays, no printing) and a
``plot_*`` function that draws the result and returns the matplotlib figure (saved when given a path).
"""
