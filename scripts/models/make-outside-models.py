#!/usr/bin/env python3
"""Makes ONNX models outside the studio's validation set, in PyTorch, with their own shapes:
MobileNet-, SqueezeNet-, ResNet- and ZFNet-like nets on 32x32x3 inputs, with 5x5 and 7x7
kernels and depthwise layers. Random weights (seeded): latency does not depend on them.

  /usr/bin/python3 scripts/models/make-outside-models.py bench/outside-models

Needs PyTorch (Debian's python3-torch); writes one <name>.onnx per model (opset 13)."""
import os
import sys

import torch
import torch.nn as nn


def conv_bn(cin, cout, k, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU6()]


def mobilenet(width=1.0):
    c = lambda n: max(8, int(n * width))
    layers = conv_bn(3, c(32), 3, 1)
    cin = c(32)
    for cout, stride, k in [(64, 1, 3), (128, 2, 5), (128, 1, 3), (256, 2, 5), (256, 1, 7), (512, 2, 3)]:
        layers += conv_bn(cin, cin, k, stride, groups=cin) + conv_bn(cin, c(cout), 1)
        cin = c(cout)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10))


class Fire(nn.Module):
    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Sequential(nn.Conv2d(cin, squeeze, 1), nn.ReLU())
        self.e1 = nn.Sequential(nn.Conv2d(squeeze, expand, 1), nn.ReLU())
        self.e3 = nn.Sequential(nn.Conv2d(squeeze, expand, 3, padding=1), nn.ReLU())

    def forward(self, x):
        s = self.squeeze(x)
        return torch.cat([self.e1(s), self.e3(s)], 1)


def squeezenet(width=1.0):
    c = lambda n: max(8, int(n * width))
    return nn.Sequential(
        nn.Conv2d(3, c(64), 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        Fire(c(64), c(16), c(64)), Fire(c(128), c(16), c(64)), nn.MaxPool2d(2),
        Fire(c(128), c(32), c(128)), Fire(c(256), c(48), c(192)), nn.MaxPool2d(2),
        Fire(c(384), c(64), c(256)),
        nn.Conv2d(c(512), 10, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.skip = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.body(x) + (x if self.skip is None else self.skip(x)))


def resnet(width=1.0):
    c = lambda n: max(8, int(n * width))
    return nn.Sequential(
        nn.Conv2d(3, c(48), 7, 1, 3, bias=False), nn.BatchNorm2d(c(48)), nn.ReLU(),
        Basic(c(48), c(48), 1), Basic(c(48), c(96), 2), Basic(c(96), c(96), 1), Basic(c(96), c(192), 2), Basic(c(192), c(384), 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c(384), 10))


def zfnet(width=1.0):
    c = lambda n: max(8, int(n * width))
    return nn.Sequential(
        nn.Conv2d(3, c(96), 7, 2, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c(96), c(256), 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c(256), c(384), 3, 1, 1), nn.ReLU(), nn.Conv2d(c(384), c(384), 3, 1, 1), nn.ReLU(),
        nn.Conv2d(c(384), c(256), 3, 1, 1), nn.ReLU(), nn.Flatten(),
        nn.Linear(c(256) * 16, c(1024)), nn.ReLU(), nn.Linear(c(1024), 10))


MODELS = {
    'outside-mobilenet': lambda: mobilenet(1.0), 'outside-mobilenet-w0.5': lambda: mobilenet(0.5),
    'outside-squeezenet': lambda: squeezenet(1.0), 'outside-squeezenet-w0.5': lambda: squeezenet(0.5),
    'outside-resnet': lambda: resnet(1.0), 'outside-resnet-w0.5': lambda: resnet(0.5),
    'outside-zfnet': lambda: zfnet(1.0), 'outside-zfnet-w0.5': lambda: zfnet(0.5),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'bench/outside-models'
    os.makedirs(out, exist_ok=True)
    for i, (name, make) in enumerate(MODELS.items()):
        torch.manual_seed(i + 1)
        model = make().eval()
        path = os.path.join(out, f'{name}.onnx')
        torch.onnx.export(model, torch.randn(1, 3, 32, 32), path, opset_version=13, input_names=['input'], output_names=['output'])
        print(f'{path}: {os.path.getsize(path)} bytes')


if __name__ == '__main__':
    main()
