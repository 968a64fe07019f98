/**
 * Speed and memory benchmarks of FAD against the same models and step in eager PyTorch ({@code
 * benchmarks/run}, see benchmarks/README.md): the suite, the memory runs, the merged results file
 * and the README's generated performance section.
 *
 * <p>A leaf module: it may use fad-runner, fad-engine and fad-api (and the built-in plugins at run
 * time), and nothing in the project depends on it.
 */
package org.fadkd.benchmarks;
