package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

/**
 * Pascal VOC's layout: {@code ImageSets/Main/<split>.txt} lists image ids, {@code
 * Annotations/<id>.xml} describes each ({@code filename}, {@code size}, {@code object}s with {@code
 * name}, {@code difficult} and a {@code bndbox}), {@code JPEGImages/<filename>} holds the pixels.
 *
 * <p>VOC boxes are 1-based inclusive pixel indices; as torchvision's and detectron2's readers, a box
 * {@code xmin..xmax} becomes the continuous {@code (xmin − 1, xmax)}, so its width is {@code xmax −
 * xmin + 1} pixels. Objects marked {@code difficult} are kept but ignored when scored, as VOC's
 * devkit does. Class names are matched against the dataset's list exactly.
 */
final class VocFormat {
    static final String IMAGES = "JPEGImages";
    static final String ANNOTATIONS = "Annotations";
    static final String SPLITS = "ImageSets/Main";

    private VocFormat() {}

    /**
     * Reads split {@code split} of the VOC folder {@code root}.
     *
     * @throws FadException with DATA_MISSING when the split file or an annotation cannot be read or
     *     is malformed: a class not in {@code classes}, a box outside its image, a missing image
     */
    static AnnotatedSet read(Path root, String split, List<String> classes) {
        requireNonNull(root, "root is null");
        requireNonNull(classes, "classes is null");
        Path listFile = root.resolve(SPLITS).resolve(split + ".txt");
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, String.format("Cannot read VOC split file '%s' (%s). The"
                    + " VOC folder must hold %s/<split>.txt, %s/ and %s/.", listFile, e.getMessage(), SPLITS,
                    ANNOTATIONS, IMAGES), e);
        }
        DocumentBuilder parser = newParser();
        List<AnnotatedImage> images = new ArrayList<>();
        for (int line = 0; line < lines.size(); line++) {
            String text = lines.get(line).strip();
            if (text.isEmpty()) {
                continue;
            }
            // class files (aeroplane_train.txt) carry a second column; the id is the first
            String id = text.split("\\s+")[0];
            Path xml = root.resolve(ANNOTATIONS).resolve(id + ".xml");
            if (!Files.isRegularFile(xml)) {
                throw AnnotationErrors.malformed(listFile, "line " + (line + 1) + " ('" + id + "')",
                        "its annotation file '" + xml + "' does not exist");
            }
            images.add(readImage(parser, root, id, xml, classes));
        }
        if (images.isEmpty()) {
            throw AnnotationErrors.malformed(listFile, null, "it lists no image id");
        }
        return new AnnotatedSet(classes, images);
    }

    private static AnnotatedImage readImage(DocumentBuilder parser, Path root, String id, Path xml,
            List<String> classes) {
        Document document;
        try {
            document = parser.parse(xml.toFile());
        } catch (SAXParseException e) {
            throw AnnotationErrors.malformed(xml, null, String.format("it is not valid XML (%s, line %d, column %d)",
                    e.getMessage(), e.getLineNumber(), e.getColumnNumber()), e);
        } catch (SAXException | IOException e) {
            throw AnnotationErrors.malformed(xml, null, "it cannot be read as XML (" + e.getMessage() + ")", e);
        }
        Element annotation = document.getDocumentElement();
        if (!annotation.getTagName().equals("annotation")) {
            throw AnnotationErrors.malformed(xml, null, "its root element is <" + annotation.getTagName()
                    + ">, not <annotation>");
        }
        String fileName = childText(annotation, "filename");
        if (fileName == null) {
            fileName = id + ".jpg"; // VOC's own files always name it; some converters do not
        }
        Path file = root.resolve(IMAGES).resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw AnnotationErrors.malformed(xml, "<filename>", "image file '" + file + "' does not exist");
        }
        Element size = child(annotation, "size");
        if (size == null) {
            throw AnnotationErrors.malformed(xml, null, "it has no <size> with <width> and <height>");
        }
        int width = (int) number(xml, "<size>", size, "width", true);
        int height = (int) number(xml, "<size>", size, "height", true);
        if (width < 1 || height < 1) {
            throw AnnotationErrors.malformed(xml, "<size>", "width and height must be positive, got " + width + " × "
                    + height);
        }
        List<AnnotatedObject> objects = new ArrayList<>();
        int index = 0;
        for (Node node = annotation.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element object) || !object.getTagName().equals("object")) {
                continue;
            }
            index++;
            String name = childText(object, "name");
            String entry = "object " + index + (name == null ? "" : " ('" + name + "')");
            int category = name == null ? -1 : classes.indexOf(name);
            if (category < 0) {
                throw AnnotationErrors.malformed(xml, entry, name == null ? "it has no <name>"
                        : "class '" + name + "' is not one of the dataset's classes (" + String.join(", ", classes)
                                + "); add it to the 'classes' setting");
            }
            String difficultText = childText(object, "difficult");
            if (difficultText != null && !difficultText.equals("0") && !difficultText.equals("1")) {
                throw AnnotationErrors.malformed(xml, entry, "<difficult> must be 0 or 1, got '" + difficultText + "'");
            }
            Element box = child(object, "bndbox");
            if (box == null) {
                throw AnnotationErrors.malformed(xml, entry, "it has no <bndbox>");
            }
            double xmin = number(xml, entry, box, "xmin", false);
            double ymin = number(xml, entry, box, "ymin", false);
            double xmax = number(xml, entry, box, "xmax", false);
            double ymax = number(xml, entry, box, "ymax", false);
            objects.add(AnnotationErrors.box(xml, entry + " <bndbox> (" + AnnotationErrors.number(xmin) + ", "
                    + AnnotationErrors.number(ymin) + ", " + AnnotationErrors.number(xmax) + ", "
                    + AnnotationErrors.number(ymax) + ") as continuous", xmin - 1, ymin - 1, xmax, ymax, width, height,
                    category, "1".equals(difficultText)));
        }
        return new AnnotatedImage(file, "'" + xml + "'", width, height, objects);
    }

    /** A DOM parser that reads no DTD and resolves no external entity (annotation files come from anywhere). */
    private static DocumentBuilder newParser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null); // errors are thrown, not also printed
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        return null;
    }

    private static String childText(Element parent, String tag) {
        Element element = child(parent, tag);
        return element == null ? null : element.getTextContent().strip();
    }

    private static double number(Path xml, String entry, Element parent, String tag, boolean integer) {
        String text = childText(parent, tag);
        try {
            double value = Double.parseDouble(text == null ? "" : text);
            if (Double.isFinite(value) && (!integer || value == Math.rint(value))) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AnnotationErrors.malformed(xml, entry, "<" + tag + "> must be " + (integer ? "an integer" : "a number")
                + ", got " + (text == null ? "nothing" : "'" + text + "'"));
    }

    /**
     * Writes {@code images} (each in {@code root/JPEGImages/}) as VOC annotations of {@code split},
     * named by their file names without extension, and the split's list.
     *
     * @param depth the images' channels, for {@code <size><depth>}
     */
    static void write(Path root, String split, List<String> classNames, List<AnnotatedImage> images, int depth)
            throws IOException {
        Path annotations = Files.createDirectories(root.resolve(ANNOTATIONS));
        Path imageDirectory = root.resolve(IMAGES);
        StringBuilder list = new StringBuilder();
        Transformer transformer = newTransformer();
        for (AnnotatedImage image : images) {
            String fileName = imageDirectory.relativize(image.file()).toString().replace('\\', '/');
            String id = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
            list.append(id).append('\n');
            Document document = newParser().newDocument();
            Element annotation = append(document, document, "annotation", null);
            append(document, annotation, "folder", root.getFileName() == null ? "" : root.getFileName().toString());
            append(document, annotation, "filename", fileName);
            Element size = append(document, annotation, "size", null);
            append(document, size, "width", Integer.toString(image.width()));
            append(document, size, "height", Integer.toString(image.height()));
            append(document, size, "depth", Integer.toString(depth));
            append(document, annotation, "segmented", "0");
            for (AnnotatedObject object : image.objects()) {
                Element element = append(document, annotation, "object", null);
                append(document, element, "name", classNames.get(object.category()));
                append(document, element, "pose", "Unspecified");
                append(document, element, "truncated", "0");
                append(document, element, "difficult", object.ignored() ? "1" : "0");
                Element box = append(document, element, "bndbox", null);
                append(document, box, "xmin", AnnotationErrors.number(object.x1() + 1));
                append(document, box, "ymin", AnnotationErrors.number(object.y1() + 1));
                append(document, box, "xmax", AnnotationErrors.number(object.x2()));
                append(document, box, "ymax", AnnotationErrors.number(object.y2()));
            }
            try {
                transformer.transform(new DOMSource(document),
                        new StreamResult(annotations.resolve(id + ".xml").toFile()));
            } catch (TransformerException e) {
                throw new IOException("cannot write " + annotations.resolve(id + ".xml") + ": " + e.getMessage(), e);
            }
        }
        Files.writeString(Files.createDirectories(root.resolve(SPLITS)).resolve(split + ".txt"), list);
    }

    private static Transformer newTransformer() throws IOException {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            return transformer;
        } catch (TransformerException e) {
            throw new IOException("the JDK's XML writer cannot be configured: " + e.getMessage(), e);
        }
    }

    private static Element append(Document document, Node parent, String tag, String text) {
        Element element = document.createElement(tag);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }
}
