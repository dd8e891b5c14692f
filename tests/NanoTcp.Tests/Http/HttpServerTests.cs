using System;
using System.Collections.Generic;
using System.Text;
using NanoTcp.Http;
using NanoTcp.Tcp;
using NanoTcp.Tests.Stack;
using Xunit;

namespace NanoTcp.Tests.Http
{
    /// <summary>The HTTP server API on B, a raw TCP client on A writing requests by hand (RFC 9112 text), virtual time.</summary>
    public sealed class HttpServerTests
    {
        private const int Port = 80;

        private sealed class Lab
        {
            public readonly StackPair Pair = new();
            public readonly HttpServer Server;
            public int Hits;
            public TcpConnection Client;
            private readonly List<byte> _received = new();
            private readonly byte[] _buffer = new byte[4096];

            public Lab(HttpServerConfig config = null)
            {
                Server = new HttpServer(Pair.B, Port, config ?? new HttpServerConfig());
                Server.Route("GET", "/hello", (rq, rs) => { Hits++; rs.Write("hello, world\n"); });
                Server.Route("POST", "/echo", (rq, rs) => { rs.ContentType = "application/octet-stream"; rs.Write(rq.Buffer, rq.BodyOffset, rq.BodyLength); });
                Server.Route("PUT", "/echo", (rq, rs) => { rs.Status = 204; });
            }

            public void Step()
            {
                Pair.B.Poll(Pair.Switch.Now);
                Server.Poll(Pair.Switch.Now);
                Pair.A.Poll(Pair.Switch.Now);
                if (Client != null)
                {
                    int n;
                    while ((n = Pair.A.Tcp.Receive(Client, _buffer, 0, _buffer.Length)) > 0)
                        for (int i = 0; i < n; i++) _received.Add(_buffer[i]);
                }
                Pair.Switch.Now++;
            }

            public void Connect()
            {
                Client = Pair.A.Tcp.Connect(StackPair.AddressA, StackPair.AddressB, Port, 0);
                for (int i = 0; i < 50 && !Client.IsConnected; i++) Step();
                Assert.True(Client.IsConnected);
            }

            /// <summary>Sends text, runs ms, returns (and forgets) what came back.</summary>
            public string Exchange(string text, int ms = 50)
            {
                if (Client == null) Connect();
                byte[] b = Encoding.ASCII.GetBytes(text);
                Assert.Equal(b.Length, Pair.A.Tcp.Send(Client, b, 0, b.Length));
                for (int i = 0; i < ms; i++) Step();
                string got = Encoding.ASCII.GetString(_received.ToArray());
                _received.Clear();
                return got;
            }

            public bool ServerClosed => Client.IsReceiveFinished;
        }

        [Fact]
        public void ARoutedGetGetsItsBodyWithContentLengthAndTheConnectionStays()
        {
            var lab = new Lab();
            string r = lab.Exchange("GET /hello HTTP/1.1\r\nHost: device\r\n\r\n");
            Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello, world\n", r);
            Assert.False(lab.ServerClosed);
            Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello, world\n",
                lab.Exchange("GET /hello?x=1 HTTP/1.1\r\nHost: device\r\n\r\n")); // the query is not part of the path
            Assert.Equal(2, lab.Hits);
        }

        [Fact]
        public void AnUnknownPathIs404AndAKnownPathWithAnotherMethodIs405WithAllow()
        {
            var lab = new Lab();
            string r = lab.Exchange("GET /nothing HTTP/1.1\r\nHost: d\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", r);
            Assert.Contains("\r\nContent-Length: 10\r\n\r\nnot found\n", r);
            r = lab.Exchange("DELETE /echo HTTP/1.1\r\nHost: d\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", r);
            Assert.Contains("\r\nAllow: POST, PUT\r\n", r); // RFC 9110 15.5.6
            r = lab.Exchange("get /hello HTTP/1.1\r\nHost: d\r\n\r\n"); // methods are case-sensitive (RFC 9110 9.1)
            Assert.StartsWith("HTTP/1.1 405 ", r);
            Assert.False(lab.ServerClosed);
            Assert.Equal(1, lab.Server.NotFound);
            Assert.Equal(2, lab.Server.MethodNotAllowed);
        }

        [Fact]
        public void HeadIsGetWithoutTheBody()
        {
            var lab = new Lab();
            Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n",
                lab.Exchange("HEAD /hello HTTP/1.1\r\nHost: d\r\n\r\n"));
        }

        [Fact]
        public void APostBodyReachesTheHandler()
        {
            var lab = new Lab();
            string r = lab.Exchange("POST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 11\r\n\r\nhello there");
            Assert.Equal("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 11\r\n\r\nhello there", r);
            Assert.StartsWith("HTTP/1.1 204 No Content\r\n", lab.Exchange("PUT /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n"));
        }

        [Fact]
        public void PipelinedRequestsAreAnsweredInOrder()
        {
            var lab = new Lab();
            string r = lab.Exchange("GET /hello HTTP/1.1\r\nHost: d\r\n\r\nPOST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 3\r\n\r\nabcGET /x HTTP/1.1\r\nHost: d\r\n\r\n");
            int hello = r.IndexOf("hello, world", StringComparison.Ordinal), abc = r.IndexOf("\r\n\r\nabc", StringComparison.Ordinal), missing = r.IndexOf("404", StringComparison.Ordinal);
            Assert.True(hello > 0 && abc > hello && missing > abc, r);
        }

        [Theory]
        [InlineData("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n")]
        [InlineData("GET /hello HTTP/1.0\r\n\r\n")]
        public void TheServerClosesWhenTheRequestAsks(string request)
        {
            var lab = new Lab();
            string r = lab.Exchange(request);
            Assert.Contains("\r\nConnection: close\r\n", r);
            Assert.EndsWith("hello, world\n", r);
            Assert.True(lab.ServerClosed);
        }

        [Fact]
        public void AnHttp10ClientAskingForKeepAliveGetsIt()
        {
            var lab = new Lab();
            string r = lab.Exchange("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Contains("\r\nConnection: keep-alive\r\n", r);
            Assert.False(lab.ServerClosed);
        }

        [Theory]
        [InlineData("GARBAGE\r\n\r\n", "400 Bad Request")]
        [InlineData("GET hello HTTP/1.1\r\n\r\n", "400 Bad Request")]           // not origin-form
        [InlineData("GET /hello HTTP/2.0\r\n\r\n", "400 Bad Request")]
        [InlineData("POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n", "400 Bad Request")]
        [InlineData("POST /echo HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", "413 Content Too Large")]
        [InlineData("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "501 Not Implemented")] // RFC 9112 6.1
        public void ABadRequestIsAnsweredAndTheConnectionClosed(string request, string status)
        {
            var lab = new Lab();
            string r = lab.Exchange(request);
            Assert.StartsWith("HTTP/1.1 " + status + "\r\n", r);
            Assert.Contains("\r\nConnection: close\r\n", r);
            Assert.True(lab.ServerClosed);
            Assert.Equal(1, lab.Server.BadRequests);
        }

        [Fact]
        public void AHeadLargerThanTheBufferIs431()
        {
            var lab = new Lab(new HttpServerConfig { RequestCapacity = 256 });
            string r = lab.Exchange("GET /hello HTTP/1.1\r\nX: " + new string('a', 400) + "\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", r);
            Assert.True(lab.ServerClosed);
        }

        [Fact]
        public void AnIdleConnectionIsClosed()
        {
            var lab = new Lab(new HttpServerConfig { IdleTimeoutMs = 2000 });
            lab.Exchange("GET /hello HTTP/1.1\r\n\r\n");
            lab.Exchange("", 1900);
            Assert.False(lab.ServerClosed);
            lab.Exchange("", 200);
            Assert.True(lab.ServerClosed);
            Assert.Equal(1, lab.Server.IdleTimeouts);
        }

        [Fact]
        public void AHalfRequestFollowedByTheClientsFinIsClosedAtOnce()
        {
            var lab = new Lab(new HttpServerConfig { IdleTimeoutMs = 10000 });
            lab.Exchange("GET /hel");
            lab.Pair.A.Tcp.Shutdown(lab.Client);
            for (int i = 0; i < 50; i++) lab.Step();
            Assert.True(lab.ServerClosed);
            Assert.Equal(0, lab.Server.IdleTimeouts);
        }

        [Fact]
        public void ServingKeptAliveRequestsAllocatesNothing()
        {
            var lab = new Lab();
            lab.Connect();
            byte[] request = Encoding.ASCII.GetBytes("GET /hello HTTP/1.1\r\nHost: d\r\n\r\n");
            var sink = new byte[4096];
            long received = 0, before = 0;
            for (int round = 0; round < 500; round++)
            {
                if (round == 20) before = ThreadAllocations.Start();
                lab.Pair.A.Tcp.Send(lab.Client, request, 0, request.Length);
                for (int i = 0; i < 5; i++)
                {
                    lab.Pair.B.Poll(lab.Pair.Switch.Now);
                    lab.Server.Poll(lab.Pair.Switch.Now);
                    lab.Pair.A.Poll(lab.Pair.Switch.Now);
                    int n;
                    while ((n = lab.Pair.A.Tcp.Receive(lab.Client, sink, 0, sink.Length)) > 0) received += n;
                    lab.Pair.Switch.Now++;
                }
            }
            long allocated = ThreadAllocations.Since(before);
            Assert.Equal(500, lab.Hits);
            Assert.Equal(500 * (long)"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello, world\n".Length, received);
            Assert.Equal(0, allocated);
        }
    }
}
