/* The least a receiver can do on Loa's protocol, for scripts/bench-receiver (issue 19): how much CPU and memory
 * the protocol's own work costs, apart from any receiver's code. It connects to the field listener over TLS with
 * an enrolled receiver's account, subscribes to its three audio topics, checks each AudioMessage's Ed25519
 * signature (libcrypto, as libmosquitto loads it anyway), decodes each 20 ms Opus packet (libopus) and writes it
 * to an ALSA PCM at its presentation time (one absolute clock_nanosleep a packet, on a SCHED_FIFO thread).
 *
 * It is a measuring instrument, not a receiver: no commands, no status, no concealment, no clock offset, one
 * session at a time, and nothing it reads is checked beyond what the work above needs.
 *
 *   bench-receiver-floor HOST PORT CAFILE USERNAME PASSWORD KEYHEX SITE ZONE ID PCM
 */
#include <alsa/asoundlib.h>
#include <mosquitto.h>
#include <openssl/evp.h>
#include <opus/opus.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 256
#define MAX_PACKET 1500

struct slot { int64_t time; int length; unsigned char data[MAX_PACKET]; };

static struct slot queue[SLOTS];
static unsigned head, tail;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static EVP_PKEY *controller;
static uint64_t verified, refused;
static volatile sig_atomic_t stopping;

static void stop(int signal) { (void)signal; stopping = 1; }

static uint64_t big(const unsigned char *p, int n) { uint64_t v = 0; while (n--) v = v << 8 | *p++; return v; }

static int64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int signed_by_controller(const unsigned char *m, size_t n) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, controller) == 1
        && EVP_DigestVerify(c, m + n - 64, 64, m, n - 64) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

static void on_message(struct mosquitto *client, void *context, const struct mosquitto_message *message) {
    const unsigned char *m = message->payload;
    size_t n = (size_t)message->payloadlen;
    (void)client; (void)context;
    if (n < 36 + 64 || m[0] != 'L' || m[1] != 'A' || m[2] != 2) return;
    if (!signed_by_controller(m, n)) { refused++; return; }
    verified++;
    int64_t start = (int64_t)big(m + 16, 8);
    int64_t step = (int64_t)big(m + 30, 2) * 1000000 / 48000;
    int count = m[33];
    size_t at = 35 + m[34];
    at += 1 + m[at];
    size_t data = at + 2 * (size_t)count;
    if (data > n - 64) return;
    pthread_mutex_lock(&lock);
    for (int k = 0; k < count; k++) {
        int length = (int)big(m + at + 2 * k, 2);
        if (data + length > n - 64 || length > MAX_PACKET || tail - head == SLOTS) break;
        struct slot *s = &queue[tail++ % SLOTS];
        s->time = start + k * step;
        s->length = length;
        memcpy(s->data, m + data, length);
        data += length;
    }
    pthread_cond_signal(&ready);
    pthread_mutex_unlock(&lock);
}

static void *playout(void *pcm_name) {
    struct sched_param priority = { .sched_priority = 10 };
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
    snd_pcm_t *pcm;
    if (snd_pcm_open(&pcm, pcm_name, SND_PCM_STREAM_PLAYBACK, 0) < 0
        || snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, 48000, 1, 100000) < 0) {
        fprintf(stderr, "bench-receiver-floor: cannot open the PCM %s\n", (char *)pcm_name);
        exit(69);
    }
    int error;
    OpusDecoder *decoder = opus_decoder_create(48000, 1, &error);
    static opus_int16 samples[5760];
    struct slot s;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (head == tail) pthread_cond_wait(&ready, &lock);
        s = queue[head++ % SLOTS];
        pthread_mutex_unlock(&lock);
        if (s.time < now_us()) continue;  // late: dropped
        int frames = opus_decode(decoder, s.data, s.length, samples, 5760, 0);
        if (frames <= 0) continue;
        struct timespec due = { .tv_sec = s.time / 1000000, .tv_nsec = s.time % 1000000 * 1000 };
        while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &due, NULL) != 0) {}
        if (snd_pcm_writei(pcm, samples, frames) < 0) snd_pcm_prepare(pcm);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 11) {
        fprintf(stderr, "usage: bench-receiver-floor HOST PORT CAFILE USERNAME PASSWORD KEYHEX SITE ZONE ID PCM\n");
        return 64;
    }
    unsigned char key[32];
    for (int i = 0; i < 32; i++) sscanf(argv[6] + 2 * i, "%2hhx", &key[i]);
    controller = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
    mosquitto_lib_init();
    struct mosquitto *client = mosquitto_new(argv[4], true, NULL);
    mosquitto_tls_set(client, argv[3], NULL, NULL, NULL, NULL);
    mosquitto_username_pw_set(client, argv[4], argv[5]);
    mosquitto_message_callback_set(client, on_message);
    if (!controller || mosquitto_connect(client, argv[1], atoi(argv[2]), 30) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "bench-receiver-floor: cannot connect to %s:%s\n", argv[1], argv[2]);
        return 69;
    }
    char topic[256];
    const char *tails[] = { "all", "zone/", "rx/" };
    const char *names[] = { "", argv[8], argv[9] };
    for (int i = 0; i < 3; i++) {
        snprintf(topic, sizeof topic, "loa/v1/%s/audio/%s%s", argv[7], tails[i], names[i]);
        mosquitto_subscribe(client, NULL, topic, 1);
    }
    pthread_t thread;
    pthread_create(&thread, NULL, playout, argv[10]);
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    fprintf(stderr, "bench-receiver-floor: subscribed\n");
    while (!stopping) {
        if (mosquitto_loop(client, 1000, 1) != MOSQ_ERR_SUCCESS && !stopping) mosquitto_reconnect(client);
    }
    pthread_mutex_lock(&lock);
    fprintf(stderr, "bench-receiver-floor: %llu messages verified, %llu refused\n",
        (unsigned long long)verified, (unsigned long long)refused);
    return 0;
}
