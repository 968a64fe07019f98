package org.fadkd.vision;

import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.TaskFactory;
import org.fadkd.vision.data.CifarDatasetFactory;
import org.fadkd.vision.data.FashionMnistDatasetFactory;
import org.fadkd.vision.data.ImageFolderDatasetFactory;
import org.fadkd.vision.detection.data.CocoDatasetFactory;
import org.fadkd.vision.detection.data.FashionMnistCanvasDatasetFactory;
import org.fadkd.vision.detection.data.VocDatasetFactory;
import org.fadkd.vision.detection.model.CenterNetArchitectureFactory;
import org.fadkd.vision.detection.task.DetectionTaskFactory;
import org.fadkd.vision.model.CifarResNetArchitectureFactory;
import org.fadkd.vision.model.CifarVggArchitectureFactory;
import org.fadkd.vision.model.CnnArchitectureFactory;
import org.fadkd.vision.model.DenseNetArchitectureFactory;
import org.fadkd.vision.model.EfficientNetArchitectureFactory;
import org.fadkd.vision.model.ImageNetResNetArchitectureFactory;
import org.fadkd.vision.model.ImageNetVggArchitectureFactory;
import org.fadkd.vision.model.MlpArchitectureFactory;
import org.fadkd.vision.model.MobileNetArchitectureFactory;
import org.fadkd.vision.model.MobileNetV2ArchitectureFactory;
import org.fadkd.vision.model.MobileNetV3ArchitectureFactory;
import org.fadkd.vision.model.ResNetArchitectureFactory;
import org.fadkd.vision.model.ShuffleNetV2ArchitectureFactory;
import org.fadkd.vision.model.TorchScriptArchitectureFactory;
import org.fadkd.vision.model.VggArchitectureFactory;
import org.fadkd.vision.model.VitArchitectureFactory;
import org.fadkd.vision.model.WideResNetArchitectureFactory;
import org.fadkd.vision.task.ClassificationTaskFactory;

import java.util.List;

/**
 * The vision plugin: dataset {@code fashion-mnist}, task {@code classification}, architectures
 * {@code resnet} (teacher) and the student families {@code cnn}, {@code mlp}, {@code mobilenet}
 * and {@code vgg}, the reference families {@code imagenet-resnet}, {@code imagenet-vgg}, {@code vit},
 * {@code mobilenet-v2}, {@code mobilenet-v3}, {@code shufflenet-v2}, {@code densenet} and {@code
 * efficientnet} (as torchvision's), {@code cifar-resnet}, {@code wide-resnet} and {@code cifar-vgg}
 * (as RepDistiller's), and {@code torchscript}, a network exported from PyTorch; task {@code
 * detection} with architecture {@code centernet}, a detector on any of the tapped families.
 */
public final class VisionPlugin implements FadPlugin {
    @Override
    public List<TaskFactory> getTaskFactories() {
        return List.of(new ClassificationTaskFactory(), new DetectionTaskFactory());
    }

    @Override
    public List<DatasetFactory> getDatasetFactories() {
        return List.of(
                new FashionMnistDatasetFactory(),
                new ImageFolderDatasetFactory(),
                CifarDatasetFactory.cifar10(),
                CifarDatasetFactory.cifar100(),
                new CocoDatasetFactory(),
                new VocDatasetFactory(),
                new FashionMnistCanvasDatasetFactory());
    }

    @Override
    public List<ArchitectureFactory> getArchitectureFactories() {
        return List.of(
                new ResNetArchitectureFactory(),
                new CnnArchitectureFactory(),
                new MlpArchitectureFactory(),
                new MobileNetArchitectureFactory(),
                new VggArchitectureFactory(),
                new ImageNetResNetArchitectureFactory(),
                new ImageNetVggArchitectureFactory(),
                new VitArchitectureFactory(),
                new MobileNetV2ArchitectureFactory(),
                new MobileNetV3ArchitectureFactory(),
                new ShuffleNetV2ArchitectureFactory(),
                new DenseNetArchitectureFactory(),
                new EfficientNetArchitectureFactory(),
                new CifarResNetArchitectureFactory(),
                new WideResNetArchitectureFactory(),
                new CifarVggArchitectureFactory(),
                new TorchScriptArchitectureFactory(),
                new CenterNetArchitectureFactory());
    }
}
