package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Dataset {@code imagefolder}: images in class folders, ImageNet's layout ({@code root/train/<class>/}
 * and {@code root/val/<class>/}), read as torchvision's {@code ImageFolder} with its ImageNet
 * transforms; see {@link ImageFolderDataset} and {@code defaults/imagefolder.conf}.
 */
public final class ImageFolderDatasetFactory implements DatasetFactory {
    public static final String NAME = "imagefolder";

    private static final Logger log = LoggerFactory.getLogger(ImageFolderDatasetFactory.class);

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        ImageFolderSettings parsed = ImageFolderSettings.from(settings);
        if (parsed.root().isEmpty()) {
            throw new FadException(ErrorCode.DATA_MISSING, String.format("Dataset '%s' needs the folder to read:"
                    + " pass data.root=DIR (or set root in the data section), DIR holding train/<class>/ and"
                    + " val/<class>/ image folders.", NAME));
        }
        log.info("Reading image folder '{}'", parsed.root().get());
        return ImageFolderDataset.open(parsed.root().get(), parsed);
    }

    /** Reads the settings as {@link #create} does; the folder is checked when the data is read. */
    @Override
    public void check(Config settings) {
        ImageFolderSettings.from(requireNonNull(settings, "settings is null"));
    }

    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }
}
