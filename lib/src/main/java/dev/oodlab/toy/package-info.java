/**
 * The 2-D toy study of Kim &amp; Chung: a small MLP trained on two discs with cross-entropy, the
 * confidence loss, the confidence loss with mixup or the joint confidence loss, evaluated by F1 of
 * "in-distribution iff max-softmax &gt; 0.8" on points uniform in [−10, 10]², and drawn as
 * max-softmax maps over the plane. The notebooks and {@code oodlab toy2d} both run it from here.
 */
package dev.oodlab.toy;
