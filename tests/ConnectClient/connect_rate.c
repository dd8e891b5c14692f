// The speed rows' connection-rate client (issue 12 point 5), in C so that the client's own cost per connection
// is small beside the server's: one client at a time for SECONDS, each connection from the next SOURCE address
// (the port picked at connect: IP_BIND_ADDRESS_NO_PORT, ip(7)), 100 bytes to echo and back, compared, and the
// client closes first (so it holds TIME_WAIT). Prints the connections per second, or an error and exits 1.
//   connect_rate ADDRESS PORT SECONDS SOURCE [SOURCE ...]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 // <linux/in.h>
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int fail(const char *what, long done)
{
    fprintf(stderr, "connect_rate: %s after %ld connections\n", what, done);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 5)
    {
        fprintf(stderr, "usage: connect_rate ADDRESS PORT SECONDS SOURCE [SOURCE ...]\n");
        return 2;
    }
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1)
        return fail("bad address", 0);
    double seconds = atof(argv[3]);
    int sources = argc - 4;
    struct sockaddr_in *from = calloc(sources, sizeof *from);
    for (int i = 0; i < sources; i++)
    {
        from[i].sin_family = AF_INET;
        if (inet_pton(AF_INET, argv[4 + i], &from[i].sin_addr) != 1)
            return fail("bad source address", 0);
    }
    unsigned char request[100], reply[100];
    srand(100);
    for (int i = 0; i < 100; i++)
        request[i] = (unsigned char)rand();
    struct timeval timeout = { .tv_sec = 60 };
    int one = 1;
    long done = 0;
    double start = now(), elapsed = 0;
    while (elapsed < seconds)
    {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0)
            return fail("socket failed", done);
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(s, (struct sockaddr *)&from[done % sources], sizeof from[0]) != 0)
            return fail("bind failed", done);
        if (connect(s, (struct sockaddr *)&to, sizeof to) != 0)
            return fail("connect failed", done);
        if (send(s, request, sizeof request, 0) != (ssize_t)sizeof request)
            return fail("send failed", done);
        for (size_t got = 0; got < sizeof reply;)
        {
            ssize_t n = recv(s, reply + got, sizeof reply - got, 0);
            if (n <= 0)
                return fail(n == 0 ? "echo closed early" : "receive failed", done);
            got += (size_t)n;
        }
        if (memcmp(request, reply, sizeof reply) != 0)
            return fail("echoed bytes differ", done);
        close(s);
        done++;
        elapsed = now() - start;
    }
    printf("%.1f\n", done / elapsed);
    return 0;
}
