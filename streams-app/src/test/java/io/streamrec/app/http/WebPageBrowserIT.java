package io.streamrec.app.http;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.app.topology.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end in a real browser (Debian's headless Chromium through chromedriver): the page shows a user's top-10,
 * a rating clicked on the page goes through POST /events, Kafka and the streams app, and the list on the page changes.
 * Leaves a screenshot at {@code target/screenshots/web-page.png}. Fails (never skips) without Chromium.
 */
@ExtendWith(SharedKafkaBroker.class)
class WebPageBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    @Timeout(120)
    void ratingAMovieOnThePageChangesTheUsersList(EmbeddedKafka kafka, @TempDir Path profile) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        long t0 = System.nanoTime();
        try (RecommenderInstance service = TestInstances.start(TestInstances.deployment(kafka, 1))) {
            System.out.printf("browser test: instance running after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Http http = new Http(service.baseUrl());
            long user = 4242;
            var movies = TestModels.data().movies();
            for (int i = 0; i < 3; i++) {
                assertEquals(202, http.post("/events", "{\"userId\": " + user + ", \"movieId\": " + movies.get(i).movieId() + ", \"rating\": 4}").status());
            }
            http.await("/users/" + user + "/recommendations", r -> r.json().path("eventCount").asLong() == 3, Duration.ofSeconds(20));

            WebDriver driver = chrome(profile);
            System.out.printf("browser test: chromium started after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            try {
                driver.get(service.baseUrl() + "/?user=" + user);
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
                wait.until(d -> d.findElements(By.cssSelector("#recs li")).size() == 10);
                assertEquals("3", driver.findElement(By.id("event-count")).getText());
                List<String> before = listedMovies(driver);

                WebElement first = driver.findElement(By.cssSelector("#recs li"));
                String rated = first.getAttribute("data-movie-id");
                long clicked = System.nanoTime();
                first.findElement(By.cssSelector(".rate-btn[data-rating='5']")).click();
                new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                        .until(d -> d.findElement(By.id("event-count")).getText().equals("4"));
                long millis = (System.nanoTime() - clicked) / 1_000_000;
                List<String> after = listedMovies(driver);
                System.out.printf("browser: list changed %d ms after the click (%s -> %s)%n", millis, before, after);
                assertNotEquals(before, after, "the list changed");
                assertFalse(after.contains(rated), "the rated movie is seen now, so it left the list");
                assertEquals(10, after.size());

                // a movie's neighbours: click its title, the card lists the 10 nearest
                driver.findElement(By.cssSelector("#recs li .title")).click();
                wait.until(d -> d.findElements(By.cssSelector("#neighbours li")).size() == 10);
                Object painted = ((ChromeDriver) driver).executeScript(
                        "const c = document.getElementById('map'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                                + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
                assertTrue(((Number) painted).longValue() > 1000, "the embedding map is drawn: " + painted + " pixels");
                assertFalse(driver.findElement(By.id("legend")).getText().isBlank(), "genre legend");

                Path shot = Path.of("target", "screenshots", "web-page.png");
                Files.createDirectories(shot.getParent());
                File file = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
                Files.copy(file.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(shot) > 10_000, "screenshot written to " + shot.toAbsolutePath());
            } finally {
                driver.quit();
            }
        }
    }

    /** The list as shown, read in one script call (the page re-renders it when a new list arrives). */
    @SuppressWarnings("unchecked")
    private static List<String> listedMovies(WebDriver driver) {
        return (List<String>) ((ChromeDriver) driver).executeScript(
                "return [...document.querySelectorAll('#recs li')].map(li => li.dataset.movieId);");
    }

    /** Headless Debian Chromium with a fresh profile and nothing that reaches the network on its own. */
    static WebDriver chrome(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
