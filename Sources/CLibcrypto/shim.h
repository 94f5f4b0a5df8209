// OpenSSL's libcrypto, for Ed25519 verification on receivers: libmosquitto already loads it for TLS, so checking
// signatures with it costs a receiver no code of its own (issue 19).
#include <openssl/evp.h>
