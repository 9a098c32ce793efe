package io.github.dropin.keycloak.importing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The import items of one input, read one ahead as the import asks for them, so that memory stays flat whatever the
 * input's size. Subclasses read the next item ({@code null} at the end) and call {@link #finish()} when the input
 * cannot be read further (a broken file yields one last {@link ImportItem.Unreadable}, then nothing).
 */
public abstract class ItemReader implements Iterator<ImportItem> {

    private ImportItem pending;
    private boolean finished;

    /** The next item, or {@code null} when the input has no more. */
    protected abstract ImportItem read();

    /** Nothing is read after the item being returned. */
    protected final void finish() {
        finished = true;
    }

    @Override
    public final boolean hasNext() {
        if (pending == null && !finished) {
            pending = read();
            if (pending == null) {
                finished = true;
            }
        }
        return pending != null;
    }

    @Override
    public final ImportItem next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ImportItem item = pending;
        pending = null;
        return item;
    }
}
