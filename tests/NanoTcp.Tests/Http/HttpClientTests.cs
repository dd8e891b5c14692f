using System;
using System.Collections.Generic;
using System.Text;
using NanoTcp.Boards.Desktop;
using NanoTcp.Firmware.Services;
using NanoTcp.Http;
using NanoTcp.Sockets;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;

namespace NanoTcp.Tests.Http
{
    /// <summary>The HTTP client (RFC 9112) against a server scripted on the second stack, in virtual time:
    /// the framing cases and hostile responses real servers rarely send (the interop tests cover Python's).</summary>
    public sealed class HttpClientTests
    {
        private const int Port = 8080;

        /// <summary>Client on A (polled through its StackRunner without a thread), a scripted server on B.</summary>
        private sealed class Lab
        {
            public readonly StackPair Pair = new();
            public readonly VirtualBoardClock Clock = new();
            public readonly StackRunner Runner;
            public readonly HttpClient Client;
            private readonly TcpListener _listener;
            private TcpConnection _server;
            private readonly byte[] _buffer = new byte[4096];
            private readonly List<byte> _request = new();
            public readonly List<string> Requests = new();
            public int Accepted;
            /// <summary>What the server answers each request with (the request text in, the bytes out); null: silence.</summary>
            public Func<string, byte[]> Respond;
            /// <summary>Close the server's side after answering.</summary>
            public bool CloseAfter;

            public Lab(HttpClientConfig config = null)
            {
                Runner = new StackRunner(Pair.A, Clock);
                Client = new HttpClient(new SocketFactory(Runner), config ?? new HttpClientConfig());
                _listener = Pair.B.Tcp.Listen(Port, 2);
            }

            public void Step()
            {
                long now = Pair.Switch.Now;
                Clock.NowMicroseconds = now * 1000;
                Runner.PollOnce();
                Client.Poll(now);
                Pair.B.Poll(now);
                Serve();
                Pair.Switch.Now++;
            }

            private void Serve()
            {
                TcpConnection c = Pair.B.Tcp.Accept(_listener);
                if (c != null)
                {
                    if (_server != null) Pair.B.Tcp.Close(_server);
                    _server = c;
                    Accepted++;
                    _request.Clear();
                }
                if (_server == null)
                    return;
                int n;
                while ((n = Pair.B.Tcp.Receive(_server, _buffer, 0, _buffer.Length)) > 0)
                    for (int i = 0; i < n; i++) _request.Add(_buffer[i]);
                string text = Encoding.ASCII.GetString(_request.ToArray());
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                    return;
                int length = 0;
                foreach (string line in text[..end].Split("\r\n"))
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..]);
                if (text.Length < end + 4 + length)
                    return;
                Requests.Add(text[..(end + 4 + length)]);
                _request.RemoveRange(0, end + 4 + length);
                byte[] reply = Respond?.Invoke(Requests[^1]);
                if (reply != null)
                    Pair.B.Tcp.Send(_server, reply, 0, reply.Length);
                if (CloseAfter)
                {
                    Pair.B.Tcp.Close(_server);
                    _server = null;
                }
            }

            /// <summary>Starts request and steps until the client is done or failed (or limitMs of virtual time pass).</summary>
            public HttpError Run(HttpRequest request, int limitMs = 20000)
            {
                Assert.True(Client.Start(request, Pair.Switch.Now));
                long end = Pair.Switch.Now + limitMs;
                while (Client.IsBusy && Pair.Switch.Now < end)
                    Step();
                Assert.False(Client.IsBusy);
                for (int i = 0; i < 5; i++) Step(); // let FINs and ACKs settle
                return Client.Error;
            }

            public HttpRequest Get(string path) => new("GET", "10.0.0.2", Port, path);
        }

        private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        [Fact]
        public void TheRequestHeadIsWhatRfc9112Asks()
        {
            var lab = new Lab { Respond = _ => Ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") };
            Assert.Equal(HttpError.None, lab.Run(lab.Get("/a?b=c")));
            Assert.Equal("GET /a?b=c HTTP/1.1\r\nHost: 10.0.0.2:8080\r\n\r\n", lab.Requests[0]); // 3.2: Host with the port
            var post = new HttpRequest("POST", "10.0.0.2", Port, "/p") { ExtraHeaders = "Accept: text/plain\r\n" };
            post.SetBody(Ascii("x=1"), 0, 3, "application/x-www-form-urlencoded");
            Assert.Equal(HttpError.None, lab.Run(post));
            Assert.Equal("POST /p HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nContent-Length: 3\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
                         "Accept: text/plain\r\n\r\nx=1", lab.Requests[1]);
            Assert.Equal(1, lab.Accepted);
        }

        [Theory]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", true)]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nA;x=y\r\n, world!!!\r\n0\r\n\r\n", "hello, world!!!", true)]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nExpires: never\r\nX: y\r\n\r\n", "abc", true)]
        [InlineData("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "ok", true)]          // last coding chunked
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n2\r\nok\r\n0\r\n\r\n", "ok", false)] // 6.3 3
        [InlineData("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", true)]                 // interim skipped
        [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "ok", true)]                                                      // bare LF (2.2)
        [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", "ok", false)]
        [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", false)]
        [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", "ok", true)]
        [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "", true)]
        public void ResponseFramingFollowsRfc9112(string response, string body, bool keepAlive)
        {
            var lab = new Lab { Respond = _ => Ascii(response) };
            Assert.Equal(HttpError.None, lab.Run(lab.Get("/")));
            Assert.Equal(body, lab.Client.Response.BodyText());
            Assert.Equal(keepAlive, lab.Client.Response.KeepAlive);
        }

        [Fact]
        public void AHeadResponseHasNoBodyWhateverItsContentLength()
        {
            var lab = new Lab { Respond = _ => Ascii("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n") };
            Assert.Equal(HttpError.None, lab.Run(new HttpRequest("HEAD", "10.0.0.2", Port, "/")));
            Assert.Equal(1234, lab.Client.Response.ContentLength);
            Assert.Equal(0, lab.Client.Response.BodyLength);
            Assert.True(lab.Client.Response.KeepAlive);
        }

        [Theory]
        [InlineData("HTTX/1.1 200 OK\r\n\r\n")]
        [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
        [InlineData("HTTP/1.1 999 Nine\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")]  // 6.3 item 5
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\n")]           // a size over 7 hex digits
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n")]   // data longer than its size
        public void AMalformedResponseFailsCleanly(string response)
        {
            var lab = new Lab { Respond = _ => Ascii(response) };
            Assert.Equal(HttpError.MalformedResponse, lab.Run(lab.Get("/")));
            Assert.Equal(HttpClientState.Failed, lab.Client.State);
        }

        [Fact]
        public void AHeadLargerThanTheBufferFails()
        {
            var lab = new Lab(new HttpClientConfig { ResponseHeadCapacity = 256 })
                { Respond = _ => Ascii("HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 400) + "\r\nContent-Length: 0\r\n\r\n") };
            Assert.Equal(HttpError.HeadTooLarge, lab.Run(lab.Get("/")));
        }

        [Fact]
        public void ASilentServerTimesOut()
        {
            var lab = new Lab(new HttpClientConfig { TimeoutMs = 3000 }) { Respond = _ => null };
            long started = lab.Pair.Switch.Now;
            Assert.Equal(HttpError.TimedOut, lab.Run(lab.Get("/")));
            Assert.InRange(lab.Pair.Switch.Now - started, 3000, 3100);
        }

        [Fact]
        public void AKeptConnectionTheServerClosedIsRetriedOnceForGetButNotForPost()
        {
            // The server says nothing about closing, then closes: RFC 9112 9.3.1 allows retrying idempotent requests.
            var lab = new Lab { Respond = _ => Ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), CloseAfter = true };
            Assert.Equal(HttpError.None, lab.Run(lab.Get("/")));
            Assert.True(lab.Client.Response.KeepAlive);
            Assert.Equal(HttpError.None, lab.Run(lab.Get("/")));
            Assert.Equal("ok", lab.Client.Response.BodyText());
            Assert.Equal(1, lab.Client.Retries);
            Assert.Equal(2, lab.Accepted);
            var post = new HttpRequest("POST", "10.0.0.2", Port, "/");
            post.SetBody(Ascii("once"), 0, 4, "text/plain");
            Assert.Equal(HttpError.ConnectionClosed, lab.Run(post));
            Assert.Equal(1, lab.Client.Retries);
        }

        [Fact]
        public void RedirectsToAnotherHostOrInALoopAreNotFollowedForever()
        {
            var lab = new Lab { Respond = r => r.StartsWith("GET /loop") ? Ascii("HTTP/1.1 307 Again\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n")
                                                                          : Ascii("HTTP/1.1 301 Moved\r\nLocation: http://elsewhere.test/x\r\nContent-Length: 0\r\n\r\n") };
            var away = lab.Get("/away");
            away.FollowRedirects = true;
            Assert.Equal(HttpError.None, lab.Run(away));
            Assert.Equal(301, lab.Client.Response.StatusCode); // another host: handed to the caller
            var loop = lab.Get("/loop");
            loop.FollowRedirects = true;
            Assert.Equal(HttpError.TooManyRedirects, lab.Run(loop));
            Assert.Equal(1 + 6, lab.Requests.Count); // the first, then five redirects followed, the sixth refused
        }

        [Fact]
        public void ARefusedConnectionSaysSo()
        {
            var lab = new Lab();
            Assert.Equal(HttpError.ConnectFailed, lab.Run(new HttpRequest("GET", "10.0.0.2", 81, "/")));
            Assert.Equal(SocketError.ConnectionRefused, lab.Client.SocketError);
        }

        [Fact]
        public void RepeatedRequestsOnAKeptConnectionAllocateNothing()
        {
            byte[] reply = Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
            var lab = new Lab();
            var request = lab.Get("/");
            // A server that allocates nothing either: it answers each request's blank line.
            TcpConnection server = null;
            var listener = lab.Pair.B.Tcp.Listen(Port + 1, 1);
            request.Port = Port + 1;
            var buffer = new byte[2048];
            long before = 0;
            int done = 0;
            for (int round = 0; round < 300; round++)
            {
                if (round == 20)
                    before = ThreadAllocations.Start();
                if (!lab.Client.Start(request, lab.Pair.Switch.Now))
                    break;
                for (int step = 0; step < 200 && lab.Client.IsBusy; step++)
                {
                    long now = lab.Pair.Switch.Now;
                    lab.Clock.NowMicroseconds = now * 1000;
                    lab.Runner.PollOnce();
                    lab.Client.Poll(now);
                    lab.Pair.B.Poll(now);
                    server ??= lab.Pair.B.Tcp.Accept(listener);
                    if (server != null && lab.Pair.B.Tcp.Receive(server, buffer, 0, buffer.Length) > 0)
                        lab.Pair.B.Tcp.Send(server, reply, 0, reply.Length);
                    lab.Pair.Switch.Now++;
                }
                if (lab.Client.State == HttpClientState.Done && lab.Client.Response.BodyLength == 4)
                    done++; // no Assert in the measured loop: xunit's comparers allocate
            }
            long allocated = ThreadAllocations.Since(before);
            Assert.Equal(300, done);
            Assert.Equal(1, lab.Client.ConnectionsOpened);
            Assert.Equal(299, lab.Client.ConnectionsReused);
            Assert.Equal(0, allocated);
        }
    }
}
