package io.streamrec.app.http;

/** A request the API refuses: the HTTP status and a message naming what was wrong, sent as {@code {"error": ...}}. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, message);
    }

    public int status() {
        return status;
    }

    /** The JSON body of an error response. */
    public record Body(int status, String error) {}
}
