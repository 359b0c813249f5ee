#!/usr/bin/env python3
"""Trains the studio's base models (vgg11, alexnet) with PyTorch on the CPU and
exports them to ONNX; the studio brings the weights in through its ONNX importer
(`edgetree models import-weights`, see recipes/pytorch/README.md).

The layer names, shapes, padding and batch-norm epsilon match the studio's own
specs (dnn/models/vgg11.ts, alexnet.ts), so the import is checked layer by layer
against them. The validation split is the studio's own (print-split.ts runs
dnn/data/splits.ts): those images are never trained on. Checkpoints after every epoch; a rerun resumes.

Usage: python3 train_base.py --model vgg11 --dataset fashion-mnist --width 0.5 \
           --epochs 8 --out /tmp/edgetree-train
"""
import argparse, gzip, json, os, struct, subprocess, sys, time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from export_onnx import export_onnx

BN_EPS = 1e-3  # dnn/tfjs/layer-op.ts BN_EPSILON
MEAN = {'fashion-mnist': [0.2860], 'cifar10': [0.4914, 0.4822, 0.4465]}
STD = {'fashion-mnist': [0.3530], 'cifar10': [0.2470, 0.2435, 0.2616]}
CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    dims = magic & 0xff
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist(root):
    def part(prefix):
        x = read_idx(os.path.join(root, f'{prefix}-images-idx3-ubyte.gz'))
        y = read_idx(os.path.join(root, f'{prefix}-labels-idx1-ubyte.gz'))
        x = np.pad(x, ((0, 0), (2, 2), (2, 2)))[:, :, :, None]  # zero-padded to 32x32, NHWC
        return x, y.astype(np.int64)
    return part('train'), part('t10k')


def load_cifar_folder(root, train_files):
    """train_files: the training images in the studio's order (print-split.ts)."""
    from PIL import Image
    classes = sorted(os.listdir(os.path.join(root, 'train')))
    def read(paths):
        xs, ys = [], []
        for rel in paths:
            with Image.open(os.path.join(root, rel)) as im:
                xs.append(np.asarray(im.convert('RGB'), dtype=np.uint8))
            ys.append(classes.index(rel.split(os.sep)[1]))
        return np.stack(xs), np.array(ys, dtype=np.int64)
    test = [os.path.join('test', c, f) for c in classes for f in sorted(os.listdir(os.path.join(root, 'test', c)))]
    return read(train_files), read(test)


def studio_split(dataset, data):
    """The studio's validation split (dnn/data/splits.ts), printed by print-split.ts."""
    here = os.path.dirname(os.path.abspath(__file__))
    cmd = ['npx', '--no-install', 'tsx', os.path.join(here, 'print-split.ts'), dataset] + ([data] if data else [])
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, cwd=os.path.join(here, '..', '..')).stdout)


def split_train_val(n, val_indices):
    val = np.zeros(n, dtype=bool)
    val[np.array(val_indices)] = True
    idx = np.arange(n)
    return idx[~val], idx[val]


class SamePool(nn.Module):
    """TensorFlow's 'same' max-pool: the extra padding at the end. The padding is
    fixed from the known input size so the ONNX export holds a constant Pad, which
    export_onnx.py folds into the MaxPool's pads. Its inputs follow a ReLU (>= 0),
    so zero padding equals the -inf padding of MaxPool's own pads."""
    def __init__(self, k, s, size):
        super().__init__()
        self.k, self.s = k, s
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        self.pad = (total // 2, total - total // 2, total // 2, total - total // 2)
    def forward(self, x):
        return F.max_pool2d(F.pad(x, self.pad), self.k, self.s)


def vgg11(cin, classes, width):
    cfg = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']
    layers, c, ci, pi = OrderedDict(), cin, 0, 0
    for v in cfg:
        if v == 'M':
            pi += 1
            layers[f'pool{pi}'] = nn.MaxPool2d(2, 2)
        else:
            ci += 1
            v = int(round(v * width))
            layers[f'conv{ci}'] = nn.Conv2d(c, v, 3, 1, 1)
            layers[f'bn{ci}'] = nn.BatchNorm2d(v, eps=BN_EPS)
            layers[f'relu{ci}'] = nn.ReLU()
            c = v
    fcw = int(round(512 * width))
    layers['flatten'] = nn.Flatten()
    layers['fc1'] = nn.Linear(c, fcw); layers['fc1_relu'] = nn.ReLU()
    layers['fc2'] = nn.Linear(fcw, fcw); layers['fc2_relu'] = nn.ReLU()
    layers['fc3'] = nn.Linear(fcw, classes)
    return nn.Sequential(layers)


def alexnet(cin, classes, width):
    c = int(round(64 * width))
    return nn.Sequential(OrderedDict([
        ('conv1', nn.Conv2d(cin, c, 5, 1, 2)), ('relu1', nn.ReLU()), ('pool1', SamePool(3, 2, 32)),
        ('conv2', nn.Conv2d(c, c, 5, 1, 2)), ('relu2', nn.ReLU()), ('pool2', SamePool(3, 2, 16)),
        ('flatten', nn.Flatten()),
        ('fc1', nn.Linear(c * 8 * 8, int(round(384 * width)))), ('fc1_relu', nn.ReLU()),
        ('fc2', nn.Linear(int(round(384 * width)), int(round(192 * width)))), ('fc2_relu', nn.ReLU()),
        ('fc3', nn.Linear(int(round(192 * width)), classes)),
    ]))


def to_tensor(x, dataset):
    t = torch.from_numpy(x).permute(0, 3, 1, 2).float().div_(255)
    mean = torch.tensor(MEAN[dataset]).view(1, -1, 1, 1)
    std = torch.tensor(STD[dataset]).view(1, -1, 1, 1)
    return (t - mean) / std


def augment(x, pad, flip):
    n, _, h, w = x.shape
    padded = F.pad(x, (pad, pad, pad, pad))
    out = torch.empty_like(x)
    oy = torch.randint(0, 2 * pad + 1, (n,)); ox = torch.randint(0, 2 * pad + 1, (n,))
    for i in range(n):
        out[i] = padded[i, :, oy[i]:oy[i] + h, ox[i]:ox[i] + w]
    if flip:
        m = torch.rand(n) < 0.5
        out[m] = out[m].flip(-1)
    return out


def evaluate(model, x, y, batch=500):
    model.eval(); correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True, choices=['vgg11', 'alexnet'])
    p.add_argument('--dataset', required=True, choices=['fashion-mnist', 'cifar10'])
    p.add_argument('--data', default=None)
    p.add_argument('--width', type=float, default=1.0)
    p.add_argument('--epochs', type=int, default=8)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--lr', type=float, default=0.05)
    p.add_argument('--wd', type=float, default=5e-4)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--out', required=True)
    # Fine-tuning: start from another run's checkpoint (its weights only) with a cosine decay
    # from --lr to 0 over --epochs (a warm restart), e.g. to add epochs to a finished run.
    p.add_argument('--init-from', default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed); np.random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    tag = f'{a.model}-{a.dataset}-w{a.width:g}'
    split = studio_split(a.dataset, a.data)
    if a.dataset == 'fashion-mnist':
        (xtr, ytr), (xte, yte) = load_fashion_mnist(a.data or '/usr/share/datasets/fashion-mnist')
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        (xtr, ytr), (xte, yte) = load_cifar_folder(a.data or os.path.join(here, '..', '..', '..', 'shared', 'data', 'cifar10'), split['files'])
    tr, va = split_train_val(len(xtr), split['valIndices'])
    x_train, y_train = to_tensor(xtr[tr], a.dataset), torch.from_numpy(ytr[tr])
    x_val, y_val = to_tensor(xtr[va], a.dataset), torch.from_numpy(ytr[va])
    x_test, y_test = to_tensor(xte, a.dataset), torch.from_numpy(yte)
    cin = x_train.shape[1]
    model = (vgg11 if a.model == 'vgg11' else alexnet)(cin, 10, a.width)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, nesterov=True, weight_decay=a.wd)
    steps = (len(x_train) + a.batch - 1) // a.batch
    if a.init_from is not None:
        model.load_state_dict(torch.load(a.init_from)['model'])
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, a.epochs * steps))
    else:
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=max(1, a.epochs * steps), pct_start=0.25)
    ckpt = os.path.join(a.out, f'{tag}.ckpt')
    start, history = 0, []
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state['model']); opt.load_state_dict(state['opt']); sched.load_state_dict(state['sched'])
        start, history = state['epoch'], state['history']
        print(f'resumed {tag} after epoch {start}', flush=True)
    pad, flip = (2, True) if a.dataset == 'fashion-mnist' else (4, True)
    for epoch in range(start, a.epochs):
        model.train(); t0 = time.time(); perm = torch.randperm(len(x_train)); total = 0.0
        for s in range(steps):
            idx = perm[s * a.batch:(s + 1) * a.batch]
            xb = augment(x_train[idx], pad, flip)
            loss = F.cross_entropy(model(xb), y_train[idx])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            total += loss.item()
            if s % 50 == 0:
                print(f'{tag} epoch {epoch + 1}/{a.epochs} step {s}/{steps} loss {loss.item():.3f}', flush=True)
        val = evaluate(model, x_val, y_val)
        history.append({'epoch': epoch + 1, 'loss': total / steps, 'valAccuracy': val, 'seconds': time.time() - t0})
        print(f'{tag} epoch {epoch + 1} loss {total / steps:.4f} val {val:.4f} ({time.time() - t0:.0f} s)', flush=True)
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'sched': sched.state_dict(), 'epoch': epoch + 1, 'history': history}, ckpt + '.tmp')
        os.replace(ckpt + '.tmp', ckpt)
    test = evaluate(model, x_test, y_test)
    print(f'{tag} test accuracy {test:.4f}', flush=True)
    export_onnx(model, x_test[:1], os.path.join(a.out, f'{tag}.onnx'), a.model)
    record = {'model': a.model, 'dataset': a.dataset, 'width': a.width, 'epochs': a.epochs, 'batch': a.batch, 'lr': a.lr,
              'weightDecay': a.wd, 'seed': a.seed, 'initFrom': a.init_from, 'testAccuracy': test, 'valAccuracy': history[-1]['valAccuracy'] if history else None,
              'testImages': len(x_test), 'history': history, 'torch': torch.__version__}
    with open(os.path.join(a.out, f'{tag}.json'), 'w') as f:
        json.dump(record, f, indent=2)
    print(json.dumps({k: record[k] for k in ('model', 'dataset', 'width', 'testAccuracy')}))


if __name__ == '__main__':
    sys.exit(main())
