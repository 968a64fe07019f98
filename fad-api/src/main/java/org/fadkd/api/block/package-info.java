/**
 * Building blocks that help plugins meet the {@link org.fadkd.api.Architecture} contract.
 *
 * @since 0.1
 */
package org.fadkd.api.block;
