package dev.switchboard.transport.api;

/**
 * A request body the API cannot act on: not JSON, a field of the wrong type, a required field
 * missing. Answered with error 107 ({@code "bad request: <detail>"}) and, for a whole request,
 * HTTP 400.
 */
final class BadRequestException extends RuntimeException {

    BadRequestException(String detail) {
        super(detail, null, false, false);
    }
}
