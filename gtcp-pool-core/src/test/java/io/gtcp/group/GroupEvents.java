package io.gtcp.group;

import io.gtcp.PoolListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PoolListener} that records what a group reports: pools coming and going, ejections, restores. */
final class GroupEvents implements PoolListener {

    record Ejection(String address, Duration ejectedFor) {
    }

    final List<String> added = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<Ejection> ejected = new CopyOnWriteArrayList<>();
    final List<String> restored = new CopyOnWriteArrayList<>();

    @Override
    public void poolAdded(String address) {
        added.add(address);
    }

    @Override
    public void poolRemoved(String address) {
        removed.add(address);
    }

    @Override
    public void endpointEjected(String address, Duration ejectedFor) {
        ejected.add(new Ejection(address, ejectedFor));
    }

    @Override
    public void endpointRestored(String address) {
        restored.add(address);
    }

    /** How long each ejection of {@code address} was, in order. */
    List<Duration> ejectionsOf(String address) {
        return ejected.stream().filter(e -> e.address().equals(address)).map(Ejection::ejectedFor).toList();
    }
}
