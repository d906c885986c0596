package dev.onepg.eventstore;

/** The event store: append, read a stream, read the global log. */
public interface EventStore extends EventAppender, StreamReader, GlobalLogReader {}
