package dev.livestate.server.adapter.userstatus;

/**
 * One status message as the userstatus protocol sees it.
 *
 * @param site the site code it was posted for
 * @param message the text shown to users
 * @param level one of debug, info, warning, error, critical
 * @param timestamp whole unix seconds (the original truncated the posted value to an int)
 * @param timeMillis the stream time (epoch millis): orders messages, keeps sub-second order
 */
record StatusMessage(String site, String message, String level, long timestamp, long timeMillis) {}
