"""A training panel as the book's own MXNet code, filled in with the panel's settings.

Only a panel on the shipped digits imports `d2l_tui` (its `d2lzh.load_data_digits`, as the lesson's
own cells do): Fashion-MNIST panels read the book's dataset with Gluon alone.
"""

from __future__ import annotations

import re
import textwrap

from d2l_tui.training.config import TrainConfig

_LINREG_DATA = """\
from mxnet import autograd, nd

# The panel's own random numbers: the lesson's cells below see the same streams as without it.
rng = np.random.RandomState({seed})
true_w = nd.array({true_w})
true_b = {true_b}
num_examples, num_inputs = {examples}, {inputs}
features = nd.array(rng.normal(scale=1, size=(num_examples, num_inputs)))
labels = nd.dot(features, true_w) + true_b
labels += nd.array(rng.normal(scale={noise}, size=labels.shape))
lr, batch_size, num_epochs = {lr}, {batch_size}, {epochs}
"""

_LINREG_SCRATCH = """\
def data_iter(batch_size, features, labels):
    indices = list(range(len(features)))
    rng.shuffle(indices)
    for i in range(0, len(indices), batch_size):
        j = nd.array(indices[i: min(i + batch_size, len(indices))])
        yield features.take(j), labels.take(j)

def linreg(X, w, b):
    return nd.dot(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size

w = nd.array(rng.normal(scale=0.01, size=(num_inputs, 1)))
b = nd.zeros(shape=(1,))
w.attach_grad()
b.attach_grad()
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        with autograd.record():
            l = squared_loss(linreg(X, w, b), y)
        l.backward()
        sgd([w, b], lr, batch_size)
    train_l = squared_loss(linreg(features, w, b), labels)
    print('epoch %d, loss %f' % (epoch + 1, train_l.mean().asnumpy()))
print('w', w.reshape((-1,)).asnumpy(), 'true', true_w.reshape((-1,)).asnumpy())
print('b', b.asscalar(), 'true', true_b)
"""

_LINREG_GLUON = """\
from mxnet import gluon, init
from mxnet.gluon import data as gdata, loss as gloss, nn

numpy_state = np.random.get_state()  # DataLoader shuffles with NumPy's stream: put back below
np.random.seed({seed})
data_iter = gdata.DataLoader(gdata.ArrayDataset(features, labels), batch_size, shuffle=True)
net = nn.Sequential()
net.add(nn.Dense(1, in_units=num_inputs))
net.initialize(init.Zero())
net[0].weight.set_data(nd.array(rng.normal(scale=0.01, size=(1, num_inputs))))  # the book's init.Normal(sigma=0.01)
loss = gloss.L2Loss()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': lr})
for epoch in range(num_epochs):
    for X, y in data_iter:
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(batch_size)
    l = loss(net(features), labels)
    print('epoch %d, loss: %f' % (epoch + 1, l.mean().asnumpy()))
print('w', net[0].weight.data().reshape((-1,)).asnumpy(), 'true', true_w.reshape((-1,)).asnumpy())
print('b', net[0].bias.data().asscalar(), 'true', true_b)
np.random.set_state(numpy_state)
"""

_CLASSIFY = """\
import mxnet as mx
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata, loss as gloss, nn

mx.random.seed({seed})
batch_size, num_epochs, lr, wd = {batch_size}, {epochs}, {lr}, {weight_decay}
{data}

net = nn.Sequential()
{layers}
net.initialize(init.Normal(sigma=0.01))
loss = gloss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params('.*weight'), 'sgd', {{'learning_rate': lr, 'wd': wd}})
trainer_b = gluon.Trainer(net.collect_params('.*bias'), 'sgd', {{'learning_rate': lr}})

def accuracy(data_iter):
    right, n = 0.0, 0
    for X, y in data_iter:
        right += (net(X).argmax(axis=1) == y.astype('float32')).sum().asscalar()
        n += y.size
    return right / n

for epoch in range(num_epochs):
    total, n = 0.0, 0
    for X, y in train_iter:
        with autograd.record():
            l = loss(net(X), y).sum()
        l.backward()
        trainer.step(batch_size)
        trainer_b.step(batch_size)
        total, n = total + l.asscalar(), n + y.size
    print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
          % (epoch + 1, total / n, accuracy(train_iter), accuracy(test_iter)))
"""

_FASHION_MNIST = """\
transformer = gdata.vision.transforms.ToTensor()
mnist_train = gdata.vision.FashionMNIST(train=True)
mnist_test = gdata.vision.FashionMNIST(train=False)
train_iter = gdata.DataLoader(mnist_train.transform_first(transformer), batch_size, shuffle=True)
test_iter = gdata.DataLoader(mnist_test.transform_first(transformer), batch_size)"""

_DIGITS = """\
from d2l_tui import d2lzh as d2l  # the 8×8 digits that ship with d2l-tui (UCI, CC BY 4.0)

train_iter, test_iter = d2l.load_data_digits(batch_size)"""

_POLY = """\
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import data as gdata, loss as gloss, nn

# The panel's own random numbers: the lesson's cells below see the same streams as without it.
rng = np.random.RandomState({seed})
n_train, n_test, num_epochs, lr, wd = {examples}, 100, {epochs}, {lr}, {weight_decay}
{data}
def fit_and_plot(train_features, test_features, train_labels, test_labels):
    net = nn.Sequential()
    net.add(nn.Dense(1, in_units=train_features.shape[1]))
    net.initialize(init.Zero())
    net[0].weight.set_data(nd.array(rng.normal(scale=0.01, size=(1, train_features.shape[1]))))
    batch_size = min({batch_size}, train_labels.shape[0])
    train_iter = gdata.DataLoader(gdata.ArrayDataset(train_features, train_labels), batch_size, shuffle=True)
    trainer = gluon.Trainer(net.collect_params('.*weight'), 'sgd', {{'learning_rate': lr, 'wd': wd}})
    trainer_b = gluon.Trainer(net.collect_params('.*bias'), 'sgd', {{'learning_rate': lr}})
    loss = gloss.L2Loss()
    for epoch in range(num_epochs):
        for X, y in train_iter:
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(batch_size)
            trainer_b.step(batch_size)
        train_l = loss(net(train_features), train_labels).mean().asscalar()
        test_l = loss(net(test_features), test_labels).mean().asscalar()
        print('epoch %d, train loss %.6g, test loss %.6g' % (epoch + 1, train_l, test_l))
    print('||w|| =', net[0].weight.data().norm().asscalar())

numpy_state = np.random.get_state()  # DataLoader shuffles with NumPy's stream: put it back after
np.random.seed({seed})
fit_and_plot(features[:n_train, :], features[n_train:, :], labels[:n_train], labels[n_train:])
np.random.set_state(numpy_state)
"""

_POLY_DATA = """\
true_w, true_b = [1.2, -3.4, 5.6], 5
features = nd.array(rng.normal(size=(n_train + n_test, 1)))
poly = nd.concat(*[nd.power(features, i) for i in range(1, {degree} + 1)])
labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 0] ** 2 + true_w[2] * features[:, 0] ** 3 + true_b
labels += nd.array(rng.normal(scale={noise}, size=labels.shape))
features = poly
"""

_HIGH_DIM_DATA = """\
num_inputs = 200
true_w, true_b = nd.ones((num_inputs, 1)) * 0.01, 0.05
features = nd.array(rng.normal(size=(n_train + n_test, num_inputs)))
labels = nd.dot(features, true_w) + true_b
labels += nd.array(rng.normal(scale={noise}, size=labels.shape))
"""


def in_function(name: str, body: str) -> str:
    """`body` as a function that is then called: its names (`net`, `w`, `x`) stay out of the lesson's."""
    safe = re.sub(r"\W", "_", name).strip("_") or "run"
    safe = safe if safe[0].isalpha() else f"run_{safe}"
    return f"def {safe}():\n{textwrap.indent(body.rstrip(), '    ')}\n\n\n{safe}()\n"


def training_code(config: TrainConfig, name: str = "train") -> str:
    """The book's code for the run `config` describes, as a function `name` called at once."""
    return in_function(name, _body(config))


def _body(config: TrainConfig) -> str:
    if config.model in ("softmax", "mlp"):
        return _classify_code(config)
    if config.model in ("poly", "high-dim"):
        data = _POLY_DATA if config.model == "poly" else _HIGH_DIM_DATA
        filled = data.format(degree=config.degree, noise=config.noise)
        return _POLY.format(data=filled, seed=config.seed, examples=config.examples, epochs=config.epochs,
                            lr=config.lr, weight_decay=config.weight_decay, batch_size=config.batch_size)
    data = _LINREG_DATA.format(
        seed=config.seed, true_w=[[w] for w in config.true_w], true_b=config.true_b, examples=config.examples,
        inputs=len(config.true_w), noise=config.noise, lr=config.lr, batch_size=config.batch_size,
        epochs=config.epochs,
    )
    data = "import numpy as np\n" + data
    # The NumPy engine is the app's stand-in when MXNet is missing; the book's code is the scratch one.
    gluon = _LINREG_GLUON.replace("{seed}", str(config.seed))
    return data + "\n" + (gluon if config.impl == "gluon" else _LINREG_SCRATCH)


def _classify_code(config: TrainConfig) -> str:
    if config.model == "softmax":
        layers = "net.add(nn.Dense(10))"
    else:
        dropout = f"\nnet.add(nn.Dropout({config.dropout}))" if config.dropout else ""
        layers = f"net.add(nn.Dense({config.num_hidden}, activation='{config.activation}')){dropout}\nnet.add(nn.Dense(10))"
    data = _DIGITS if config.dataset == "digits" else _FASHION_MNIST
    return _CLASSIFY.format(seed=config.seed, batch_size=config.batch_size, epochs=config.epochs, lr=config.lr,
                            weight_decay=config.weight_decay, layers=layers, data=data)
