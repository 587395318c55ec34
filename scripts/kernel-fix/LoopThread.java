package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The channel loop thread of rapaio-jupyter-kernel 3.0.1, without the two ways in which its start
 * left a kernel that never answers.
 *
 * <p>{@code scripts/install-kernel.sh} compiles this class into a copy of the kernel jar in place of
 * the original, and the kernelspec runs that copy. The heartbeat, shell and control channels each poll
 * their socket in one of these threads. Two races at start killed a loop thread for good:
 * <ol>
 *   <li>The original sets its {@code running} flag only after {@link Thread#start()} returned, while
 *       {@link #run()} loops {@code while (running)}: a thread that gets a core before its starter
 *       reaches that assignment sees {@code false} and ends at once. Here the flag is {@code true}
 *       from construction.</li>
 *   <li>The shell loop starts when its socket is bound, but the message handlers are registered only
 *       after every channel is bound; a {@code kernel_info_request} that arrives in between throws a
 *       {@code NullPointerException} out of the loop body, which ended the thread. Here an exception
 *       ends only that turn (it is logged, the message is lost); Jupyter clients send
 *       {@code kernel_info_request} again every second until one is answered.</li>
 * </ol>
 * A kernel whose shell loop ended binds its sockets and answers heartbeats but never replies to the
 * client, which waits for a start that never comes; when every loop ended, the kernel exits ("Kernel
 * died before replying"). On a busy 2-core machine the two together hit 12 of 40 starts
 * ({@code scripts/kernel-start-check.sh 40}). Otherwise the loop is the original's: the body, then a
 * fixed sleep, until {@link #shutdown()} or an interrupt.
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running = true;
    private final long sleep;
    private final Runnable loopBody;

    /**
     * @param name     the thread's name
     * @param sleep    milliseconds to sleep after each turn of the loop
     * @param loopBody what one turn of the loop does
     */
    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.SEVERE, getName() + ": a turn of the channel loop failed; the loop goes on", e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Ends the loop after its current turn; called before {@link #start()}, the thread ends at once. */
    public void shutdown() {
        running = false;
    }
}
