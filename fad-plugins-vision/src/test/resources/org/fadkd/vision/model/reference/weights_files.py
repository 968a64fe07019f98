"""Writes the PyTorch side of TestWeightsFromFiles into OUT_DIR (nothing here is committed as a
binary): torchvision models with fixed random weights in the files a model section's 'weights'
reads, and what PyTorch computes with them for a fixed input.

- resnet18.safetensors: torchvision resnet18 (10 classes), every parameter random and batch norm's
  running statistics randomised, float32 (num_batches_tracked int64, as torch saves it);
- resnet18-bf16.safetensors: the same state_dict cast to bfloat16;
- resnet18.onnx: torch.onnx.export of the same model, with do_constant_folding=False and
  training=PRESERVE on the model in eval mode, so that batch norm stays a node with its own
  initializers instead of being folded into the convolutions;
- resnet34-bf16.safetensors, resnet18-1000-bf16.safetensors: a deeper network and a 1000-class
  head, for the mismatch checks (bfloat16 halves their size; they are never read past the header);
- mobilenet-v2.safetensors, mobilenet-v3-small.safetensors, shufflenet-v2.safetensors:
  torchvision's mobilenet_v2, mobilenet_v3_small and shufflenet_v2_x1_0 (10 classes), randomised
  as resnet18;
- vit.safetensors: a small torchvision VisionTransformer (3x32x32, patch 8, 2 layers, 3 heads,
  width 24, MLP 48, 10 classes);
- resnet50.safetensors: torchvision resnet50 (10 classes), randomised like resnet18;
- expected.safetensors: float32 references, in eval mode: 'input' (2x3x64x64) and, for resnet18,
  'stem', 'layer1' ... 'layer4' and 'logits'; the same under 'bf16.' for the bfloat16-rounded
  weights; 'mobilenet-v2.logits', 'mobilenet-v3-small.logits' and 'shufflenet-v2.logits' for the same
  input; 'vit.input' (2x3x32x32) and 'vit.logits'. safetensors rather than JSON keeps every
  float32 exact.

Prints a JSON object: {"torch": version, "names": {"resnet18": [state_dict names without
num_batches_tracked], ... "resnet152": [...], "vgg11", "vgg11_bn", "mobilenet_v2", "mobilenet_v3_large",
"mobilenet_v3_small", "shufflenet_v2_x0_5", "densenet121": [...]}}.

Usage: weights_files.py OUT_DIR
"""
import json
import os
import sys

import torch
import torchvision
from torchvision.models.vision_transformer import VisionTransformer

from fad_safetensors import save_safetensors

def randomised(model):
    """Random affine batch norms and running statistics, so that none is the identity."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(100)
    return model.eval()


def bf16(state):
    return {name: (t.to(torch.bfloat16) if t.is_floating_point() else t) for name, t in state.items()}


def resnet_outputs(model, x):
    """The taps FAD's imagenet-resnet declares and the logits."""
    outputs = {}
    with torch.no_grad():
        x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        outputs["stem"] = x
        for name in ["layer1", "layer2", "layer3", "layer4"]:
            x = getattr(model, name)(x)
            outputs[name] = x
        outputs["logits"] = model.fc(torch.flatten(model.avgpool(x), 1))
    return outputs


def main(out_dir):
    torch.manual_seed(19)
    model = randomised(torchvision.models.resnet18(num_classes=10))
    state = model.state_dict()
    save_safetensors(os.path.join(out_dir, "resnet18.safetensors"), state)
    save_safetensors(os.path.join(out_dir, "resnet18-bf16.safetensors"), bf16(state))
    x = torch.randn(2, 3, 64, 64)
    torch.onnx.export(model, x, os.path.join(out_dir, "resnet18.onnx"), input_names=["input"],
                      output_names=["logits"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)
    expected = {"input": x}
    expected.update(resnet_outputs(model, x))

    rounded = randomised(torchvision.models.resnet18(num_classes=10))
    rounded.load_state_dict({name: t.to(torch.bfloat16).to(t.dtype) for name, t in state.items()})
    expected.update({"bf16." + name: t for name, t in resnet_outputs(rounded.eval(), x).items()})

    # ResNet-50: bottleneck blocks, the teacher
    torch.manual_seed(50)
    resnet50 = randomised(torchvision.models.resnet50(num_classes=10))
    save_safetensors(os.path.join(out_dir, "resnet50.safetensors"), resnet50.state_dict())
    expected.update({"resnet50." + name: t for name, t in resnet_outputs(resnet50, x).items()})

    save_safetensors(os.path.join(out_dir, "resnet34-bf16.safetensors"),
                     bf16(torchvision.models.resnet34(num_classes=10).state_dict()))
    save_safetensors(os.path.join(out_dir, "resnet18-1000-bf16.safetensors"),
                     bf16(torchvision.models.resnet18(num_classes=1000).state_dict()))

    vit = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=24,
                            mlp_dim=48, num_classes=10)
    with torch.no_grad():
        for parameter in vit.parameters():
            parameter.normal_(0.0, 0.2)
    vit.eval()
    save_safetensors(os.path.join(out_dir, "vit.safetensors"), vit.state_dict())
    vit_input = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        expected["vit.input"] = vit_input
        expected["vit.logits"] = vit(vit_input)

    torch.manual_seed(19)
    mobilenet = randomised(torchvision.models.mobilenet_v2(num_classes=10))
    save_safetensors(os.path.join(out_dir, "mobilenet-v2.safetensors"), mobilenet.state_dict())
    with torch.no_grad():
        expected["mobilenet-v2.logits"] = mobilenet(x)

    mobilenet = randomised(torchvision.models.mobilenet_v3_small(num_classes=10))
    save_safetensors(os.path.join(out_dir, "mobilenet-v3-small.safetensors"), mobilenet.state_dict())
    with torch.no_grad():
        expected["mobilenet-v3-small.logits"] = mobilenet(x)

    shufflenet = randomised(torchvision.models.shufflenet_v2_x1_0(num_classes=10))
    save_safetensors(os.path.join(out_dir, "shufflenet-v2.safetensors"), shufflenet.state_dict())
    with torch.no_grad():
        expected["shufflenet-v2.logits"] = shufflenet(x)

    save_safetensors(os.path.join(out_dir, "expected.safetensors"),
                     {name: t.float().contiguous() for name, t in expected.items()})
    names = {}
    for depth in [18, 34, 50, 101, 152]:
        reference = getattr(torchvision.models, "resnet%d" % depth)(num_classes=10)
        names["resnet%d" % depth] = [name for name in reference.state_dict()
                                     if not name.endswith("num_batches_tracked")]
    for model in ["vgg11", "vgg11_bn", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
                  "shufflenet_v2_x0_5", "densenet121"]:
        reference = getattr(torchvision.models, model)(num_classes=10)
        names[model] = [name for name in reference.state_dict() if not name.endswith("num_batches_tracked")]
    print(json.dumps({"torch": torch.__version__, "names": names}))


if __name__ == "__main__":
    main(sys.argv[1])
