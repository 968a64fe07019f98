package org.fadkd.api;

import static java.util.Objects.requireNonNull;

/**
 * Where one model parameter's values lie in a weights file: a whole tensor, or one of several equal
 * slices of it along its first axis, for files that fuse parameters a DJL block keeps apart (a
 * transformer's query, key and value projections stored as one {@code in_proj_weight}).
 *
 * @param name the tensor's name in the file, never null or blank
 * @param part which slice, from 0; 0 for the whole tensor
 * @param parts into how many equal slices the first axis is cut; 1 for the whole tensor
 * @since 0.2
 */
public record FileTensor(String name, int part, int parts) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when the name is blank, {@code parts < 1} or {@code part} is
     *     not in {@code [0, parts)}
     */
    public FileTensor {
        requireNonNull(name, "name is null");
        if (name.isBlank() || parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException(
                    String.format("tensor '%s' slice %d of %d is not a slice", name, part, parts));
        }
    }

    /**
     * The whole tensor {@code name}.
     *
     * @param name the tensor's name in the file, never null or blank
     * @return the tensor, never null
     * @since 0.2
     */
    public static FileTensor whole(String name) {
        return new FileTensor(name, 0, 1);
    }

    /**
     * Slice {@code part} of {@code parts} equal slices of tensor {@code name} along its first axis.
     *
     * @param name the tensor's name in the file, never null or blank
     * @param part which slice, from 0
     * @param parts the number of slices, at least 1
     * @return the slice, never null
     * @since 0.2
     */
    public static FileTensor slice(String name, int part, int parts) {
        return new FileTensor(name, part, parts);
    }

    /**
     * Says whether this is the whole tensor rather than a slice.
     *
     * @return true when {@code parts == 1}
     * @since 0.2
     */
    public boolean isWhole() {
        return parts == 1;
    }

    /** The name, with the slice when there is one, e.g. {@code in_proj_weight[1/3]}, for messages. */
    @Override
    public String toString() {
        return isWhole() ? name : String.format("%s[%d/%d]", name, part + 1, parts);
    }
}
