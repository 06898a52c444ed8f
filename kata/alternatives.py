"""Other correct solutions, which the graded tests must pass too.

The tests must accept any correct solution, not only ours. ``python -m
kata.check`` grades each set below (spliced into a copy of solutions/) and
requires every exercise to pass.

- "slides": the slides' own code with their bugs fixed, one sample at a
  time, and the slides' np.vectorize sigmoid (the slowest correct way).
- "other style": the same results written differently (np.eye, @, index
  permutations, a while loop).

Each set: {module: {function (or Class.method): body}}.
"""

ALTERNATIVES = {
    "the slides' code (bugs fixed), per sample, np.vectorize sigmoid": {
        "load_mnist": {
            "encode_label": """
                e = np.zeros((10, 1))
                e[j] = 1.0
                return e
            """,
            "shape_data": """
                features = [np.reshape(x, (784, 1)) for x in data[0]]
                labels = [encode_label(y) for y in data[1]]
                return list(zip(features, labels))
            """,
        },
        "layers": {
            "sigmoid": """
                return np.vectorize(sigmoid_double)(z)
            """,
            "sigmoid_prime": """
                return np.vectorize(sigmoid_prime_double)(x)
            """,
            "Layer.connect": """
                self.previous = layer
                layer.next = self
            """,
            "DenseLayer.backward": """
                data = self.get_forward_input()
                delta = self.get_backward_input()

                self.delta_b += delta.sum(axis=1, keepdims=True)
                self.delta_w += np.dot(delta, data.transpose())

                self.output_delta = np.dot(self.weight.transpose(), delta)
            """,
        },
        "network": {
            "SequentialNetwork.train": """
                n = len(training_data)
                for epoch in range(epochs):
                    random.shuffle(training_data)
                    mini_batches = [
                        training_data[k:k + mini_batch_size] for
                        k in range(0, n, mini_batch_size)
                    ]
                    for mini_batch in mini_batches:
                        self.train_batch(mini_batch, learning_rate)
                    if test_data:
                        n_test = len(test_data)
                        print("Epoch {0}: {1} / {2}"
                              .format(epoch, self.evaluate(test_data), n_test))
                    else:
                        print("Epoch {0} complete".format(epoch))
            """,
            "SequentialNetwork.forward_backward": """
                for x, y in mini_batch:
                    self.layers[0].input_data = x
                    for layer in self.layers:
                        layer.forward()
                    self.layers[-1].input_delta = \\
                        self.loss.loss_derivative(self.layers[-1].output_data, y)
                    for layer in reversed(self.layers):
                        layer.backward()
            """,
            "SequentialNetwork.evaluate": """
                test_results = [(
                    np.argmax(self.single_forward(x)),
                    np.argmax(y)
                ) for (x, y) in test_data]
                return sum(int(x == y) for (x, y) in test_results)
            """,
        },
    },
    "another style": {
        "load_mnist": {
            "encode_label": """
                return np.eye(10)[:, [int(j)]]
            """,
            "shape_data": """
                images, labels = data
                return [(image.reshape(-1, 1), encode_label(label))
                        for image, label in zip(images, labels)]
            """,
        },
        "average_digits": {
            "average_digit": """
                columns = [x for x, y in data if y[digit, 0] == 1]
                return np.hstack(columns).mean(axis=1, keepdims=True)
            """,
            "predict": """
                return sigmoid_double(W @ x + b)
            """,
            "evaluate": """
                right = 0
                for x, y in data:
                    says_digit = (predict(x, W, b) > threshold).item()
                    is_digit = int(np.argmax(y)) == digit
                    right += says_digit == is_digit
                return right / len(data)
            """,
        },
        "losses": {
            "MSE.loss_function": """
                return np.sum(np.square(predictions - labels)) / 2
            """,
            "MSE.loss_derivative": """
                return -(labels - predictions)
            """,
        },
        "layers": {
            "Layer.connect": """
                layer.next, self.previous = self, layer
            """,
            "DenseLayer.backward": """
                x = self.get_forward_input()
                delta = self.get_backward_input()
                self.output_delta = self.weight.T @ delta
                self.delta_w += delta @ x.T
                self.delta_b += delta @ np.ones((delta.shape[1], 1))
            """,
        },
        "network": {
            "SequentialNetwork.train": """
                for epoch in range(1, epochs + 1):
                    order = np.random.permutation(len(training_data))
                    start = 0
                    while start < len(order):
                        batch = [training_data[i] for i in order[start:start + mini_batch_size]]
                        self.train_batch(batch, learning_rate)
                        start += mini_batch_size
                    if test_data:
                        print(f"Epoch {epoch}: {self.evaluate(test_data)} / {len(test_data)}")
                    else:
                        print(f"Epoch {epoch} complete")
            """,
        },
    },
}
