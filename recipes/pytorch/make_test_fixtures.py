"""Writes the small PyTorch-exported ONNX files the importer's weight tests read
(test/fixtures/onnx/): vgg11 and alexnet at width 1/8 with seeded random weights
and random batch-norm statistics, exported exactly as the trained models are."""
import os, sys
import torch
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from train_base import alexnet, vgg11
from export_onnx import export_onnx

out = os.path.join(here, '..', '..', 'test', 'fixtures', 'onnx')
os.makedirs(out, exist_ok=True)
torch.manual_seed(7)
for name, build, cin in [('vgg11', vgg11, 3), ('alexnet', alexnet, 1)]:
    model = build(cin, 10, 0.125)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5); m.bias.data.uniform_(-0.2, 0.2)
    export_onnx(model, torch.randn(1, cin, 32, 32), os.path.join(out, f'torch-{name}-w0.125.onnx'), name)
    print(name, os.path.getsize(os.path.join(out, f'torch-{name}-w0.125.onnx')))
