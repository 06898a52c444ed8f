"""Wrong solutions that the graded tests must catch: the classic mistakes.

Each mutant replaces the body of one graded function in an otherwise
complete (solutions) package; ``python -m kata.check`` runs the graded
tests on it and requires its exercise to fail (and every other exercise of
the module to pass). The slides' own bugs are among them.

Each entry: (exercise id, function, what the mistake is, the wrong body).
"""

MUTANTS = [
    # 1. encode_label
    ("encode_label", "encode_label", "off by one: 1.0 in row j - 1", """
        e = np.zeros((10, 1))
        e[j - 1] = 1.0
        return e
    """),
    ("encode_label", "encode_label", "a flat (10,) vector", """
        e = np.zeros(10)
        e[j] = 1.0
        return e
    """),
    ("encode_label", "encode_label", "a (1, 10) row", """
        e = np.zeros((1, 10))
        e[0, j] = 1.0
        return e
    """),
    ("encode_label", "encode_label", "one array shared by every call", """
        e = encode_label.__dict__.setdefault("shared", np.zeros((10, 1)))
        e[j] = 1.0
        return e
    """),
    ("encode_label", "encode_label", "an integer array", """
        e = np.zeros((10, 1), dtype=int)
        e[j] = 1
        return e
    """),
    # 2. shape_data
    ("shape_data", "shape_data", "returns the zip itself (Python 3: no len, one pass)", """
        features = [np.reshape(x, (784, 1)) for x in data[0]]
        labels = [encode_label(y) for y in data[1]]
        return zip(features, labels)
    """),
    ("shape_data", "shape_data", "(1, 784) rows instead of columns", """
        features = [np.reshape(x, (1, 784)) for x in data[0]]
        labels = [encode_label(y) for y in data[1]]
        return list(zip(features, labels))
    """),
    ("shape_data", "shape_data", "(28, 28) images", """
        features = [np.reshape(x, (28, 28)) for x in data[0]]
        labels = [encode_label(y) for y in data[1]]
        return list(zip(features, labels))
    """),
    ("shape_data", "shape_data", "labels left as integers", """
        features = [np.reshape(x, (784, 1)) for x in data[0]]
        return list(zip(features, data[1]))
    """),
    ("shape_data", "shape_data", "pairs the wrong way round", """
        features = [np.reshape(x, (784, 1)) for x in data[0]]
        labels = [encode_label(y) for y in data[1]]
        return list(zip(labels, features))
    """),
    ("shape_data", "shape_data", "images transposed", """
        features = [np.reshape(x, (28, 28)).T.reshape(784, 1) for x in data[0]]
        labels = [encode_label(y) for y in data[1]]
        return list(zip(features, labels))
    """),
    # 3. average_digit
    ("average_digit", "average_digit", "averages every image, whatever its label", """
        return np.average(np.asarray([x[0] for x in data]), axis=0)
    """),
    ("average_digit", "average_digit", "averages over the pixels", """
        filtered = np.asarray([x[0] for x in data if np.argmax(x[1]) == digit])
        return np.average(filtered, axis=1)
    """),
    ("average_digit", "average_digit", "sums instead of averaging", """
        filtered = np.asarray([x[0] for x in data if np.argmax(x[1]) == digit])
        return np.sum(filtered, axis=0)
    """),
    ("average_digit", "average_digit", "returns the first match (return inside the loop)", """
        for x in data:
            if np.argmax(x[1]) == digit:
                return x[0]
    """),
    ("average_digit", "average_digit", "off by one in the label", """
        filtered = np.asarray([x[0] for x in data if np.argmax(x[1]) == digit - 1])
        return np.average(filtered, axis=0)
    """),
    # 4. predict
    ("predict", "predict", "forgets the bias", """
        return sigmoid_double(np.dot(W, x))
    """),
    ("predict", "predict", "forgets the sigmoid", """
        return np.dot(W, x) + b
    """),
    ("predict", "predict", "sign error: sigmoid(-(W x + b))", """
        return sigmoid_double(-(np.dot(W, x) + b))
    """),
    ("predict", "predict", "subtracts the bias", """
        return sigmoid_double(np.dot(W, x) - b)
    """),
    ("predict", "predict", "x W instead of W x", """
        return sigmoid_double(np.dot(x, W) + b)
    """),
    ("predict", "predict", "elementwise product instead of dot product", """
        return sigmoid_double(np.sum(W * x.T) + b)
    """),
    # 5. evaluate
    ("evaluate", "evaluate", "the slides' bug: return inside the loop", """
        total_samples = 1.0 * len(data)
        correct_predictions = 0
        for x in data:
            if predict(x[0], W, b) > threshold and np.argmax(x[1]) == digit:
                correct_predictions += 1
            if predict(x[0], W, b) <= threshold and np.argmax(x[1]) != digit:
                correct_predictions += 1
            return correct_predictions / total_samples
    """),
    ("evaluate", "evaluate", ">= at the threshold", """
        correct = 0
        for x, y in data:
            p = predict(x, W, b)
            if (p >= threshold and np.argmax(y) == digit) or (p < threshold and np.argmax(y) != digit):
                correct += 1
        return correct / len(data)
    """),
    ("evaluate", "evaluate", "counts only the positives", """
        correct = 0
        for x, y in data:
            if predict(x, W, b) > threshold and np.argmax(y) == digit:
                correct += 1
        return correct / len(data)
    """),
    ("evaluate", "evaluate", "returns the count, not the fraction", """
        correct = 0
        for x, y in data:
            p = predict(x, W, b)
            if (p > threshold) == (np.argmax(y) == digit):
                correct += 1
        return correct
    """),
    ("evaluate", "evaluate", "always the digit 8", """
        correct = 0
        for x, y in data:
            p = predict(x, W, b)
            if (p > threshold) == (np.argmax(y) == 8):
                correct += 1
        return correct / len(data)
    """),
    ("evaluate", "evaluate", "ignores its threshold (always 0.5)", """
        correct = 0
        for x, y in data:
            p = predict(x, W, b)
            if (p > 0.5) == (np.argmax(y) == digit):
                correct += 1
        return correct / len(data)
    """),
    # 6. MSE
    ("MSE", "MSE.loss_function", "forgets the 1/2", """
        diff = predictions - labels
        return float(np.sum(diff * diff))
    """),
    ("MSE", "MSE.loss_function", "the mean instead of half the sum", """
        return float(np.mean((predictions - labels) ** 2))
    """),
    ("MSE", "MSE.loss_function", "the slides' sum(...)[0]: first sample only", """
        diff = predictions - labels
        return 0.5 * sum(diff * diff)[0]
    """),
    ("MSE", "MSE.loss_function", "an array of losses, not a number", """
        diff = predictions - labels
        return 0.5 * diff * diff
    """),
    ("MSE", "MSE.loss_function", "absolute errors instead of squares", """
        return 0.5 * float(np.sum(np.abs(predictions - labels)))
    """),
    ("MSE", "MSE.loss_derivative", "sign error: labels - predictions", """
        return labels - predictions
    """),
    ("MSE", "MSE.loss_derivative", "twice the difference", """
        return 2 * (predictions - labels)
    """),
    ("MSE", "MSE.loss_derivative", "the derivative summed to a number", """
        return float(np.sum(predictions - labels))
    """),
    # 7. Layer.connect
    ("Layer.connect", "Layer.connect", "the wrong way round", """
        self.next = layer
        layer.previous = self
    """),
    ("Layer.connect", "Layer.connect", "only one direction", """
        self.previous = layer
    """),
    ("Layer.connect", "Layer.connect", "both links on self", """
        self.previous = layer
        self.next = layer
    """),
    # 8. DenseLayer.backward
    ("DenseLayer.backward", "DenseLayer.backward", "overwrites instead of accumulating", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b = np.sum(delta, axis=1, keepdims=True)
        self.delta_w = np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "the slides' delta_b += delta (no sum over a mini-batch)", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += delta
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "sign error in delta_w", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w -= np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "passes back delta_w instead of the weights", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.delta_w.transpose(), delta)
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "W delta instead of W^T delta", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight, delta.T).T
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "x^T delta instead of delta x^T", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(data, delta.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "updates the weights inside backward", """
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
        self.weight -= 0.1 * self.delta_w
    """),
    ("DenseLayer.backward", "DenseLayer.backward", "uses the layer's output as its input", """
        data = self.output_data
        delta = self.get_backward_input()
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)
    """),
    # 9. SequentialNetwork.train
    ("SequentialNetwork.train", "SequentialNetwork.train", "drops the last, smaller mini-batch", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n - mini_batch_size + 1, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "never shuffles", """
        n = len(training_data)
        for epoch in range(epochs):
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "shuffles once, before the epochs", """
        n = len(training_data)
        random.shuffle(training_data)
        for epoch in range(epochs):
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "returns inside the epoch loop", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
            return
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "prints no progress line", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "divides the learning rate by the batch size again", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                batch = training_data[k:k + mini_batch_size]
                self.train_batch(batch, learning_rate / len(batch))
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "updates without forward_backward", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                self.update(training_data[k:k + mini_batch_size], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "mini-batches one sample short", """
        n = len(training_data)
        for epoch in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size - 1], learning_rate)
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
    """),
    ("SequentialNetwork.train", "SequentialNetwork.train", "prints the count before the epoch's training", """
        n = len(training_data)
        for epoch in range(epochs):
            if test_data:
                print("Epoch {0}: {1} / {2}".format(epoch, self.evaluate(test_data), len(test_data)))
            else:
                print("Epoch {0} complete".format(epoch))
            random.shuffle(training_data)
            for k in range(0, n, mini_batch_size):
                self.train_batch(training_data[k:k + mini_batch_size], learning_rate)
    """),
]
