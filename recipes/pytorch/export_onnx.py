"""Exports a trained model to ONNX for the studio's importer: batch norm kept as
BatchNormalization nodes (TrainingMode.PRESERVE on a model in eval mode; EVAL
would fold it into the convolutions), and each constant zero Pad in front of a
MaxPool folded into the MaxPool's own pads (see SamePool in train_base.py)."""
import onnx
import torch
from onnx import helper, numpy_helper


def export_onnx(model, example, path, name):
    model.eval()
    torch.onnx.export(model, example, path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    m = onnx.load(path)
    fold_pads_into_maxpool(m.graph, model)
    m.graph.name = name
    onnx.checker.check_model(m)
    onnx.save(m, path)


def fold_pads_into_maxpool(graph, model):
    """Each SamePool module exports as Pad (pads computed by a few shape ops) then
    MaxPool: the MaxPool takes the Pad's input and the module's pads, and the
    nodes no output needs any more are dropped."""
    producers = {o: n for n in graph.node for o in n.output}
    for name, module in model.named_children():
        if type(module).__name__ != 'SamePool':  # train_base may run as __main__: a second copy of the class
            continue
        pool = next(n for n in graph.node if n.op_type == 'MaxPool' and n.name.startswith(f'/{name}/'))
        pad = producers[pool.input[0]]
        if pad.op_type != 'Pad':
            raise ValueError(f'{name}: MaxPool does not read a Pad')
        pool.input[0] = pad.input[0]
        left, right, top, bottom = module.pad  # F.pad order: last axis first
        attrs = [a for a in pool.attribute if a.name != 'pads']
        del pool.attribute[:]
        pool.attribute.extend(attrs + [helper.make_attribute('pads', [top, left, bottom, right])])
    drop_dead_nodes(graph)


def drop_dead_nodes(graph):
    producers = {o: n for n in graph.node for o in n.output}
    live, stack = set(), [o.name for o in graph.output]
    while stack:
        node = producers.get(stack.pop())
        if node is None or id(node) in live:
            continue
        live.add(id(node))
        stack.extend(node.input)
    for node in [n for n in graph.node if id(n) not in live]:
        graph.node.remove(node)


def main():
    """Re-exports a checkpoint of train_base.py: --ckpt FILE --model M --width W --channels C --out FILE."""
    import argparse
    from train_base import alexnet, vgg11
    p = argparse.ArgumentParser()
    p.add_argument('--ckpt', required=True)
    p.add_argument('--model', required=True, choices=['vgg11', 'alexnet'])
    p.add_argument('--width', type=float, default=1.0)
    p.add_argument('--channels', type=int, required=True)
    p.add_argument('--out', required=True)
    a = p.parse_args()
    model = (vgg11 if a.model == 'vgg11' else alexnet)(a.channels, 10, a.width)
    model.load_state_dict(torch.load(a.ckpt)['model'])
    export_onnx(model, torch.zeros(1, a.channels, 32, 32), a.out, a.model)


if __name__ == '__main__':
    main()
